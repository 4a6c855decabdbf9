package com.example.outbox.jdbc;

import com.example.servers.SharedServers;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database with the outbox schema on the JVM's shared PostgreSQL server, so tests that count or claim
 * every row of a table never see rows of other test classes (the relay tests empty the shared tables).
 */
final class IsolatedOutboxDatabase {

    private IsolatedOutboxDatabase() {
    }

    static DataSource create() throws SQLException {
        var server = SharedServers.postgres();
        String name = "outbox_" + UUID.randomUUID().toString().replace("-", "");
        try (var c = server.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("create database " + name);
        }
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser(server.username());
        dataSource.setPassword(server.password());
        dataSource.setDatabaseName(name);
        OutboxSchema.migrate(dataSource);
        return dataSource;
    }
}
