package com.example.servers;

import org.testcontainers.containers.PostgreSQLContainer;

/** PostgreSQL in Docker via Testcontainers (opt-in: {@code -Ptestcontainers}). */
final class ContainerPostgresServer extends PausableContainer implements PostgresServer {

    private final PostgreSQLContainer<?> container;

    ContainerPostgresServer() {
        this(new PostgreSQLContainer<>("postgres:16-alpine").withCommand("postgres", "-c", "max_connections=300"));
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
