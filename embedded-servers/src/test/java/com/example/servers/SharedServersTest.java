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

    private static boolean canConnect(PostgresServer pg) {
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
