package com.example.campaign;

import com.example.local.DeployedFunction;
import com.example.local.EsmPoller;
import com.example.local.LocalRuntime;
import com.example.order.jdbc.DatabaseSchema;
import com.example.servers.EmbeddedKafkaServer;
import com.example.servers.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What a campaign runs against, started once and reused by every schedule: a real PostgreSQL (zonky binaries) and a
 * real KRaft broker, both restartable; the create-order and cancel-consumer deployable jars in this JVM (as
 * local-runtime runs them); and the relay jar, started as separate processes by {@link RelayProcess}.
 *
 * <p>The relays run with the settings Terraform deploys except the timing ones below: a claim hold limit of
 * {@value #CLAIM_HOLD_LIMIT_SECONDS} s (60 s deployed) so that a frozen relay loses its claim within a schedule, and
 * the Kafka timeouts shrunk to fit under it, as the relay's start-up check demands.
 */
final class Cluster implements AutoCloseable {

    static final String ORDER_CREATED = "order.created";
    static final String ORDER_CANCELLED = "order.cancelled";
    static final String DEAD_LETTERS = "order.cancelled.dlq";
    static final String CONSUMER_GROUP = LocalRuntime.CONSUMER_GROUP;
    static final int PARTITIONS = 3;
    static final int CLAIM_HOLD_LIMIT_SECONDS = 4;
    /** create-order's execution environments (local-runtime's cap), all started before the first schedule. */
    static final int CREATE_ORDER_ENVIRONMENTS = 4;
    /** Relay processes started ahead and kept waiting, to replace killed ones at once. */
    static final int SPARE_RELAYS = 2;

    /** The relay's environment for the campaign: deployed defaults except these timings (and a smaller batch). */
    static final Map<String, String> RELAY_SETTINGS = Map.of(
            "RELAY_CLAIM_HOLD_LIMIT", CLAIM_HOLD_LIMIT_SECONDS + "s",
            "RELAY_KAFKA_DELIVERY_TIMEOUT_MS", "2500",
            "RELAY_KAFKA_REQUEST_TIMEOUT_MS", "2000",
            "RELAY_KAFKA_MAX_BLOCK_MS", "1000",
            "RELAY_MIN_TIME_BUDGET", "2s",
            "RELAY_SAFETY_MARGIN", "4s",
            "RELAY_BATCH_SIZE", "50",
            "RELAY_RETRY_BACKOFF", "200ms");

    final Path workDir;
    final EmbeddedPostgresServer postgres;
    final EmbeddedKafkaServer kafka;
    final PGSimpleDataSource dataSource;
    final Path relayJar;
    final EnvironmentPool createOrder;
    final DeployedFunction consumer;
    private final List<RelayProcess> relays = new ArrayList<>();
    /** Every relay process ever started, so that all are killed on close (and on JVM exit). */
    private final List<RelayProcess> all = new ArrayList<>();
    private final java.util.concurrent.BlockingQueue<RelayProcess> spares = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Thread spareKeeper;
    private final Thread killRelaysOnExit = new Thread(this::killAllRelays, "kill-relays");
    private volatile boolean closing;
    private int relaysStarted;

    private Cluster(Path workDir) {
        this.workDir = workDir;
        postgres = EmbeddedPostgresServer.start(workDir.resolve("postgres"), 0);
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        DatabaseSchema.migrateAll(dataSource);
        kafka = EmbeddedKafkaServer.start(workDir.resolve("kafka"), 0);
        kafka.createTopics(PARTITIONS, ORDER_CREATED, ORDER_CANCELLED, DEAD_LETTERS);
        Path functions = extractFunctionJars(workDir.resolve("functions"));
        relayJar = functions.resolve("outbox-relay-fn.jar");
        // In-process functions read their environment from system properties, as in local-runtime. No wake-up
        // function is configured: the campaign's relays poll continuously.
        System.setProperty("DB_URL", postgres.jdbcUrl());
        System.setProperty("DB_USERNAME", postgres.username());
        System.setProperty("DB_PASSWORD", postgres.password());
        System.setProperty("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        var environments = new ArrayList<DeployedFunction>();
        for (int i = 0; i < CREATE_ORDER_ENVIRONMENTS; i++) {
            environments.add(new DeployedFunction("create-order", functions.resolve("create-order-fn.jar"),
                    LocalRuntime.CREATE_ORDER_HANDLER, Duration.ofSeconds(30), 1));
        }
        createOrder = new EnvironmentPool("create-order", environments);
        warmUpWritePath();
        Runtime.getRuntime().addShutdownHook(killRelaysOnExit);
        spareKeeper = Thread.ofPlatform().daemon().name("spare-relays").start(this::keepSpares);
        consumer = new DeployedFunction("cancel-consumer", functions.resolve("cancel-consumer-fn.jar"),
                LocalRuntime.CONSUMER_HANDLER, Duration.ofSeconds(60), 1).warmUp();
    }

    /**
     * One order through each create-order environment (the pool hands them out in turn), so that connection pools
     * and the write path are warm before the first schedule; the orders go with the first schedule's reset.
     */
    private void warmUpWritePath() {
        String body = "{\\\"customerId\\\":\\\"7d2c1a4e-5b6f-4c3d-9e8f-0a1b2c3d4e5f\\\",\\\"items\\\":[{\\\"productId\\\":"
                + "\\\"0f8e7d6c-5b4a-4321-8fed-cba987654321\\\",\\\"quantity\\\":1,\\\"unitPrice\\\":1.00}]}";
        byte[] post = ("{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/orders\",\"rawQueryString\":\"\","
                + "\"headers\":{\"content-type\":\"application/json\",\"host\":\"campaign.local\"},\"requestContext\":"
                + "{\"http\":{\"method\":\"POST\",\"path\":\"/orders\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\"},"
                + "\"requestId\":\"warm-up\",\"routeKey\":\"$default\",\"stage\":\"$default\"},\"body\":\"" + body
                + "\",\"isBase64Encoded\":false}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < CREATE_ORDER_ENVIRONMENTS; i++) {
            try {
                createOrder.invoke(post);
            } catch (com.example.local.LambdaFunction.FunctionError e) {
                throw new IllegalStateException("create-order warm-up failed: " + e.errorJson(), e);
            }
        }
    }

    static Cluster start(Path workDir) {
        return new Cluster(workDir);
    }

    /** An event source mapping on {@code order.cancelled} delivering to {@code function} (the faulty wrapper). */
    EsmPoller startEventSourceMapping(com.example.local.LambdaFunction function) {
        var settings = new EsmPoller.Settings(kafka.bootstrapServers(), ORDER_CANCELLED, CONSUMER_GROUP, 20,
                Duration.ofMillis(100), Map.of());
        return EsmPoller.start(settings, function);
    }

    /**
     * Starts a relay: a spare whose execution environment is already up if there is one (spares are started in the
     * background, so replacing a killed relay costs no JVM start inside a schedule), else a new process.
     */
    RelayProcess startRelay() {
        RelayProcess relay = spares.poll();
        if (relay == null || !relay.isAlive()) {
            relay = newRelayProcess();
        }
        relay.go();
        synchronized (this) {
            relays.add(relay);
        }
        return relay;
    }

    /** Keeps {@value #SPARE_RELAYS} started relay processes waiting, until the cluster closes. */
    private void keepSpares() {
        while (!closing) {
            if (spares.size() < SPARE_RELAYS) {
                try {
                    spares.add(newRelayProcess());
                } catch (RuntimeException e) {
                    if (!closing) {
                        System.err.println("could not start a spare relay: " + e);
                    }
                }
            } else {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private RelayProcess newRelayProcess() {
        var env = new java.util.HashMap<String, String>(RELAY_SETTINGS);
        env.put("DB_URL", postgres.jdbcUrl());
        env.put("DB_USERNAME", postgres.username());
        env.put("DB_PASSWORD", postgres.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        int number;
        synchronized (this) {
            number = ++relaysStarted;
        }
        var relay = RelayProcess.start("relay-" + number, relayJar, env, workDir.resolve("relay-logs"));
        synchronized (this) {
            if (closing) {
                relay.kill();
            } else {
                all.add(relay);
            }
        }
        return relay;
    }

    synchronized List<RelayProcess> liveRelays() {
        relays.removeIf(r -> !r.isAlive());
        return List.copyOf(relays);
    }

    /** Kills every relay process, running or spare. */
    synchronized void killAllRelays() {
        all.forEach(RelayProcess::kill);
        all.clear();
        relays.clear();
    }

    /** Empties every table the schedule writes, between schedules (nothing runs then). */
    void resetDatabase() throws SQLException {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("truncate orders, order_items, idempotency_keys, outbox_message, outbox_published,"
                    + " inbox_message, outbox_relay_watch cascade");
        }
    }

    /** PostgreSQL's shutdown modes (pg_ctl stop -m fast | immediate). */
    enum ShutdownMode { FAST, IMMEDIATE }

    /**
     * Stops PostgreSQL. FAST: {@code pg_ctl stop -m fast} (zonky's stop): sessions are ended, a checkpoint is
     * written. IMMEDIATE: SIGQUIT to the postmaster, which is what {@code pg_ctl stop -m immediate} sends: every
     * process quits at once, no checkpoint, and the next start runs crash recovery from the WAL.
     */
    void stopPostgres(ShutdownMode mode) {
        if (mode == ShutdownMode.IMMEDIATE) {
            long pid = postmasterPid();
            signal(pid, "QUIT");
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("postmaster " + pid + " did not exit after SIGQUIT", e);
                }
            });
        }
        // After SIGQUIT pg_ctl finds no server (zonky logs that) and releases its lock on the data directory.
        postgres.stop();
    }

    void startPostgres() {
        postgres.start();
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(postgres.dataDirectory().resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a signal with kill(1): the JDK can send SIGKILL and SIGTERM only. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The deployable jars local-runtime carries as resources, written out (a class loader cannot read a jar in a jar). */
    private static Path extractFunctionJars(Path target) {
        try {
            Files.createDirectories(target);
            for (String jar : List.of("create-order-fn.jar", "outbox-relay-fn.jar", "cancel-consumer-fn.jar")) {
                try (InputStream in = LocalRuntime.class.getResourceAsStream("/functions/" + jar)) {
                    if (in == null) {
                        throw new IllegalStateException("/functions/" + jar + " is not on the class path: build"
                                + " local-runtime first (./mvnw -pl fault-campaign -am package -DskipTests)");
                    }
                    Files.copy(in, target.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closing = true;
        spareKeeper.interrupt();
        killAllRelays();
        try {
            Runtime.getRuntime().removeShutdownHook(killRelaysOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        closeQuietly(createOrder);
        closeQuietly(consumer);
        closeQuietly(kafka);
        closeQuietly(postgres);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("while stopping: " + e);
        }
    }
}
