package com.example.servers;

import org.testcontainers.containers.PostgreSQLContainer;

/** PostgreSQL in Docker via Testcontainers (opt-in: {@code -Ptestcontainers}). */
final class ContainerPostgresServer extends PausableContainer implements PostgresServer {

    private final PostgreSQLContainer<?> container;

    ContainerPostgresServer() {
        // wal_level as for the embedded server (EmbeddedPostgresServer.WAL_LEVEL_PROPERTY): logical for CDC tests.
        this(new PostgreSQLContainer<>("postgres:16-alpine").withCommand("postgres", "-c", "max_connections=300",
                "-c", "wal_level=" + System.getProperty(EmbeddedPostgresServer.WAL_LEVEL_PROPERTY, "replica")));
    }

    private ContainerPostgresServer(PostgreSQLContainer<?> container) {
        super(container);
        this.container = container;
    }

    @Override
    public String jdbcUrl() {
        return container.getJdbcUrl();
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }
}
