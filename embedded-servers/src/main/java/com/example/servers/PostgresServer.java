package com.example.servers;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server that tests and the local runtime can use, stop and start again.
 *
 * <p>{@link #stop()} and {@link #start()} keep the data and the port, so a client's JDBC URL stays valid
 * across an outage: that is what failure tests need to simulate "the database went away and came back".
 */
public interface PostgresServer extends AutoCloseable {

    String jdbcUrl();

    String username();

    String password();

    /** A plain, unpooled data source for this server: each {@code getConnection()} opens a new connection. */
    default DataSource dataSource() {
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(username());
        dataSource.setPassword(password());
        return dataSource;
    }

    /** Makes the server unreachable; existing connections break. Data is kept. */
    void stop();

    /** Brings a stopped server back on the same address with the same data. */
    void start();

    @Override
    void close();
}
