package com.example.order.archfixture;

import java.sql.Connection;

/** Deliberately breaks the framework-free rule; ArchitectureTest proves its rule catches this class. */
public class DomainLikeClassUsingJdbc {

    public boolean open(Connection connection) throws Exception {
        return !connection.isClosed();
    }
}
