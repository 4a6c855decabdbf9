package com.example.campaign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One relay as a separate operating-system process ({@link RelayMain}), so the campaign can SIGKILL it
 * ({@link Process#destroyForcibly()}) and freeze and thaw it (SIGSTOP/SIGCONT), as a Lambda execution environment
 * is killed at a timeout or frozen between invocations.
 */
final class RelayProcess {

    private final String name;
    private final Process process;
    private volatile boolean frozen;

    private RelayProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static RelayProcess start(String name, Path relayJar, Map<String, String> env, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                    RelayMain.class.getName(), relayJar.toString(), "30"));
            var builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            builder.redirectErrorStream(true);
            Process process = builder.start();
            // READY comes on stdout; afterwards everything goes to a log file kept while the campaign runs.
            var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Path log = logDir.resolve(name + ".log");
            var out = Files.newBufferedWriter(log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String line;
            boolean ready = false;
            while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
                out.write(line);
                out.newLine();
                if (line.equals("READY")) {
                    ready = true;
                    break;
                }
            }
            out.flush();
            if (!ready) {
                process.destroyForcibly();
                out.close();
                throw new IllegalStateException(name + " did not start; see " + log);
            }
            Thread.ofPlatform().daemon().name(name + "-log").start(() -> {
                try (out; reader) {
                    String l;
                    while ((l = reader.readLine()) != null) {
                        out.write(l);
                        out.newLine();
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            });
            return new RelayProcess(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    boolean frozen() {
        return frozen;
    }

    /** Lets a started spare begin relaying (its first invocation). */
    void go() {
        try {
            var stdin = process.getOutputStream();
            stdin.write("GO\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is gone", e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing more sent or recorded. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: every thread stops where it is, sockets and the claim's transaction stay open. */
    void freeze() {
        if (process.isAlive()) {
            Cluster.signal(process.pid(), "STOP");
            frozen = true;
        }
    }

    /** SIGCONT. */
    void thaw() {
        if (process.isAlive()) {
            Cluster.signal(process.pid(), "CONT");
        }
        frozen = false;
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
