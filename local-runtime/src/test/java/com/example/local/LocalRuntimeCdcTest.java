package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.servers.DataDirectory;
import com.example.servers.KafkaServer;
import com.example.servers.PostgresServer;
import com.example.servers.SharedServers;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/run-local --relay=cdc} in-process, on the shared real PostgreSQL (this module's tests run it with
 * {@code wal_level=logical}) and Kafka: the Debezium relay publishes, no relay function is deployed, and the jobs
 * Terraform deploys in {@code relay_mode = "msk_connect"} run from the relay's jar with CDC_SLOT set from the shared
 * connector configuration (ADR 0082): the reconciliation job checks the slot, the CDC retention job answers.
 */
class LocalRuntimeCdcTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cdcModeRunsTheSlotAwareJobsInsteadOfTheRelayFunction() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        KafkaServer kafka = SharedServers.kafka();
        Path dataDir = Files.createTempDirectory("local-runtime-cdc-test");
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var s = c.createStatement()) {
            // The connector's first start snapshots outbox_message: not other test classes' leftovers.
            s.execute("delete from outbox_message");
        } catch (java.sql.SQLException e) {
            // not migrated yet: the runtime's start migrates it
        }
        var env = Map.of("DB_URL", pg.jdbcUrl(), "DB_USERNAME", pg.username(), "DB_PASSWORD", pg.password(),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        var options = LocalRuntime.Options.defaults(env).withDataDir(dataDir).withPorts(0, 0, 0)
                .withRelay(LocalRuntime.RelayMode.CDC);
        try (var runtime = LocalRuntime.start(options, new PrintStream(new ByteArrayOutputStream()))) {
            assertThat(runtime.relayFunction()).as("no relay function in CDC mode").isNull();
            assertThat(runtime.cdcRelay()).isNotNull();

            var created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + runtime.httpPort() + "/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"customerId":"%s","items":[{"productId":"%s","quantity":1,"unitPrice":5.00}]}"""
                            .formatted(UUID.randomUUID(), UUID.randomUUID()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            String orderId = JSON.readTree(created.body()).path("orderId").asText();
            assertThat(TopicScan.firstWithKey(kafka, "order.created", orderId, Duration.ofSeconds(30)))
                    .as("published by the CDC relay").isPresent();

            var reconciliation = JSON.readTree(runtime.reconciliationFunction()
                    .invoke(ScheduledInvocations.reconciliationInput(Instant.now())));
            assertThat(reconciliation.path("cdcSlot").asText()).isEqualTo("outbox_relay");
            assertThat(reconciliation.path("cdcSlotProblems").asLong()).as("the connector reads its slot").isZero();
            assertThat(reconciliation.path("unpublishedTooLong").asLong()).isZero();

            var retention = JSON.readTree(runtime.cdcRetentionFunction().invoke(
                    ScheduledInvocations.schedulerInput(Instant.now(), "local-test").toString()
                            .getBytes(StandardCharsets.UTF_8)));
            assertThat(retention.path("slot").asText()).isEqualTo("outbox_relay");
            assertThat(retention.path("retentionAge").asText()).as("Terraform's RELAY_RETENTION_AGE").isEqualTo("PT168H");
            assertThat(retention.path("deleted").asLong()).as("nothing is 7 days old here").isZero();
        } finally {
            // The slot would keep WAL for the rest of this JVM's tests.
            try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                    var s = c.createStatement()) {
                s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots"
                        + " where slot_name = 'outbox_relay' and not active");
            }
            System.setProperty("CDC_SLOT", "");
            DataDirectory.delete(dataDir);
        }
    }
}
