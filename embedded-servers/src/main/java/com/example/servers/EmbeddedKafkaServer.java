package com.example.servers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (combined broker and controller) built from Apache Kafka's own server jars.
 *
 * <p>It is the same broker code a real cluster runs, in-process. Stop and start keep the port and the log
 * directory, so a restart looks to clients exactly like a broker outage.
 */
public final class EmbeddedKafkaServer implements KafkaServer {

    private static final int NODE_ID = 1;

    private final Path logDirectory;
    private boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaServer(Path logDirectory, int brokerPort, int controllerPort) {
        this.logDirectory = logDirectory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** A broker with its logs in a fresh temporary directory, on free ports. */
    public static EmbeddedKafkaServer startTemporary() {
        EmbeddedKafkaServer server = start(DataDirectory.createTemporary("embedded-kafka"), 0);
        server.deleteOnClose = true;
        return server;
    }

    /** A broker whose logs live in {@code logDirectory} (reused if already formatted). Port 0 picks a free port. */
    public static EmbeddedKafkaServer start(Path logDirectory, int brokerPort) {
        var kafka = new EmbeddedKafkaServer(Objects.requireNonNull(logDirectory),
                brokerPort == 0 ? EmbeddedPostgresServer.freePort() : brokerPort,
                EmbeddedPostgresServer.freePort());
        kafka.start();
        return kafka;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(logDirectory);
            formatIfNeeded();
            server = new KafkaRaftServer(new KafkaConfig(brokerProperties()), Time.SYSTEM);
            server.startup();
            awaitReady();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start embedded Kafka broker on port " + brokerPort, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }


    /** Stops the server; a temporary one also deletes its data. */
    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            DataDirectory.delete(logDirectory);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private void formatIfNeeded() throws Exception {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setDirectories(List.of(logDirectory.toString()))
                .setMetadataLogDirectory(logDirectory.toString())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setIgnoreFormatted(true)
                .run();
    }

    private Properties brokerProperties() {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDirectory.toString());
        p.put("num.partitions", "6");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Like MSK (and the localstack compose file): topics exist only when created explicitly, so a test or the local
        // runtime meets a missing topic exactly as AWS does (a metadata timeout), never a topic made on first use.
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", "1048588");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        return p;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Kafka broker did not become ready on " + bootstrapServers(), last);
    }
}
