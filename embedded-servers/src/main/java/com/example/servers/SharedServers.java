package com.example.servers;

/**
 * One PostgreSQL and one Kafka per JVM, started on first use and stopped at JVM exit.
 *
 * <p>By default these are the embedded servers (real binaries, no Docker). With the system property
 * {@code test.servers=testcontainers} (set by the Maven profile {@code -Ptestcontainers}) or the environment
 * variable {@code TEST_SERVERS=testcontainers}, they are Docker containers started by Testcontainers instead.
 */
public final class SharedServers {

    private static PostgresServer postgres;
    private static KafkaServer kafka;

    private SharedServers() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = useContainers() ? new ContainerPostgresServer() : EmbeddedPostgresServer.startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-postgres"));
        }
        return postgres;
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            kafka = useContainers() ? new ContainerKafkaServer() : EmbeddedKafkaServer.startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-kafka"));
        }
        return kafka;
    }

    public static boolean useContainers() {
        String mode = System.getProperty("test.servers", System.getenv().getOrDefault("TEST_SERVERS", "embedded"));
        return "testcontainers".equalsIgnoreCase(mode);
    }
}
