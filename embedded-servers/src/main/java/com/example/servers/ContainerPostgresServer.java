package com.example.servers;

import org.testcontainers.containers.PostgreSQLContainer;

/**
 * PostgreSQL in Docker via Testcontainers (opt-in: {@code -Ptestcontainers}).
 * Stop and start pause and unpause the container, so the mapped port and the data survive the "outage".
 */
final class ContainerPostgresServer implements PostgresServer {

    private final PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine")
            .withCommand("postgres", "-c", "max_connections=300");
    private boolean paused;

    ContainerPostgresServer() {
        container.start();
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

    @Override
    public synchronized void stop() {
        if (!paused) {
            container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
        }
    }

    @Override
    public synchronized void start() {
        if (paused) {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
