package com.example.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Stops a running PostgreSQL server the way {@code pg_ctl stop -m fast|immediate} does (SIGINT or SIGQUIT to the
 * postmaster) and starts it again, on the same data directory, port and settings, while its clients keep running:
 * what a database failover or crash looks like to them.
 *
 * <p>Shutdown modes, as PostgreSQL documents them ("Shutting Down the Server"): <b>fast</b> rolls back open
 * transactions, disconnects every client and writes a shutdown checkpoint; <b>immediate</b> makes every process quit
 * at once, with no checkpoint, so the next start runs crash recovery from the WAL (what a crashed host or a killed
 * container gives).
 *
 * <p>The server is found from its {@code postmaster.pid}. The signal is sent directly rather than through
 * {@code pg_ctl}, which refuses to run as root (containers, CI), while the embedded server's binaries do not. The new
 * postmaster is started with the old one's exact command line (read from the operating system), so whoever started it
 * (the embedded server here) still stops it at the end.
 */
final class PostgresRestart {

    /** {@code pg_ctl stop -m …}: the two modes that do not wait for clients to disconnect. */
    enum Shutdown {
        FAST, IMMEDIATE;

        String pgCtlMode() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The postmaster's signal for this mode (PostgreSQL, "Shutting Down the Server"). */
        String signal() {
            return this == FAST ? "INT" : "QUIT";
        }
    }

    /**
     * Epoch millis of one restart: stop requested, server gone ({@code pg_ctl} returned), postmaster started again,
     * first connection accepted.
     */
    record Timing(long stopRequested, long stopped, long restarted, long accepting) {
        long downMillis() {
            return accepting - stopped;
        }
    }

    private PostgresRestart() {
    }

    /**
     * Stops the server in {@code dataDir} with {@code mode}, keeps it down for {@code downFor}, starts it again and
     * waits until {@code jdbcUrl} accepts a connection (at most 60 s).
     */
    static Timing restart(Path dataDir, Shutdown mode, Duration downFor, String jdbcUrl, String user, String password)
            throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid + " (" + dataDir + ")"));
        String command = postmaster.info().command()
                .orElseThrow(() -> new IllegalStateException("cannot read the postmaster's command line"));
        String[] arguments = postmaster.info().arguments()
                .orElseThrow(() -> new IllegalStateException("cannot read the postmaster's arguments"));

        long stopRequested = System.currentTimeMillis();
        // What pg_ctl stop -m <mode> sends; pg_ctl itself refuses to run as root, the embedded server does not.
        run(List.of("kill", "-s", mode.signal(), Long.toString(pid)));
        postmaster.onExit().get(60, TimeUnit.SECONDS);
        long stopped = System.currentTimeMillis();

        Thread.sleep(downFor);
        var restart = new ArrayList<String>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; in a new user namespace it runs as an unprivileged user (what the
            // embedded server's own start does, with the same util-linux command).
            restart.addAll(List.of("unshare", "-U"));
        }
        restart.add(command);
        restart.addAll(List.of(arguments));
        // Its output goes into the data directory (as pg_ctl -l would put it), so a failed start can be diagnosed.
        Path log = dataDir.resolve("restart.log");
        Process server = new ProcessBuilder(restart)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long restarted = System.currentTimeMillis();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (var c = DriverManager.getConnection(jdbcUrl, user, password)) {
                break;
            } catch (SQLException notYet) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("the restarted postmaster exited with " + server.exitValue() + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not accept connections within 60 s of its restart", notYet);
                }
                Thread.sleep(20);
            }
        }
        return new Timing(stopRequested, stopped, restarted, System.currentTimeMillis());
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
