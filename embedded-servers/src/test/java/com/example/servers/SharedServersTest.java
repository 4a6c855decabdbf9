package com.example.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SharedServersTest {

    @Test
    void theServersAreTheKindTheBuildSelects() {
        // The root pom hands its property test.servers to every test JVM: "embedded" by default, "testcontainers"
        // under -Ptestcontainers (which also puts the Testcontainers modules on every test class path).
        String mode = System.getProperty("test.servers");
        assertThat(mode).isIn("embedded", "testcontainers");
        boolean containers = mode.equals("testcontainers");
        assertThat(SharedServers.useContainers()).isEqualTo(containers);
        // By name: the container classes cannot even be loaded without the profile's dependencies.
        assertThat(SharedServers.postgres().getClass().getSimpleName())
                .isEqualTo(containers ? "ContainerPostgresServer" : "EmbeddedPostgresServer");
        assertThat(SharedServers.kafka().getClass().getSimpleName())
                .isEqualTo(containers ? "ContainerKafkaServer" : "EmbeddedKafkaServer");
    }

    @Test
    void postgresKeepsDataAcrossStopAndStart() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            c.createStatement().execute("create table if not exists survives_restart(v int)");
            c.createStatement().execute("insert into survives_restart values (42)");
        }
        pg.stop();
        assertThat(canConnect(pg)).isFalse();
        pg.start();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var rs = c.createStatement().executeQuery("select sum(v) from survives_restart")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void kafkaKeepsRecordsAcrossStopAndStart() throws Exception {
        KafkaServer kafka = SharedServers.kafka();
        kafka.createTopics(3, "servers-test");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("servers-test", "k", "before-restart")).get();
        }
        kafka.stop();
        kafka.start();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "servers-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("servers-test"));
            var values = new java.util.ArrayList<String>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertThat(values).containsExactly("before-restart");
        }
    }

    /**
     * A created topic takes writes at once: a producer that does not retry sends one record to every partition of
     * each new topic right after {@code createTopics} returns, and the broker acknowledges all of them. Before
     * {@code createTopics} waited for the partitions' leader, some sends were refused with NOT_LEADER_OR_FOLLOWER.
     */
    @Test
    void createdTopicsTakeWritesAtOnce() throws Exception {
        KafkaServer kafka = SharedServers.kafka();
        int partitions = 6;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                // No retries, so a refused send fails instead of being hidden by a retry.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.RETRIES_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            var failures = new java.util.ArrayList<String>();
            for (int t = 0; t < 20; t++) {
                String topic = "servers-test-fresh-" + java.util.UUID.randomUUID();
                kafka.createTopics(partitions, topic);
                var acks = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int p = 0; p < partitions; p++) {
                    acks.add(producer.send(new ProducerRecord<>(topic, p, "k", "first write")));
                }
                for (var ack : acks) {
                    try {
                        ack.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(topic + ": " + e.getCause());
                    }
                }
            }
            assertThat(failures).as("first writes refused right after createTopics").isEmpty();
        }
    }

    private static boolean canConnect(PostgresServer pg) {
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
