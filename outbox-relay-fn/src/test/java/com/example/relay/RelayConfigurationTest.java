package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.servers.SharedServers;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The relay's typed configuration: application.yml's defaults bind and pass every rule, and each rejected setting or
 * combination stops a real application context at start-up with a message naming the setting. The bad values are
 * given as the environment variables Terraform sets, so the path env var → application.yml key → record is covered.
 */
class RelayConfigurationTest {

    static Map<String, Object> database() {
        var pg = SharedServers.postgres();
        return Map.of("datasources.default.url", pg.jdbcUrl(), "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password());
    }

    static ApplicationContext start(Map<String, Object> settings) {
        var properties = new HashMap<>(database());
        properties.putAll(settings);
        return ApplicationContext.builder(OutboxRelayFunction.ENVIRONMENT).properties(properties).start();
    }

    @Test
    void applicationYmlDefaultsBindAndAreTheLibraryDefaults() {
        try (var context = start(Map.of())) {
            var relay = context.getBean(RelayConfiguration.class);
            assertThat(relay.safetyMargin()).isEqualTo(Duration.ofSeconds(30));
            assertThat(relay.maxDuration()).isEqualTo(Duration.ofSeconds(100));
            assertThat(context.getBean(ProducerConfiguration.class).oneBatch()).isEqualTo(Duration.ofSeconds(25));
            assertThat(context.getBean(RetentionConfiguration.class).retentionAge()).isEqualTo(Duration.ofDays(7));
            assertThat(context.getBean(TopicsConfiguration.class).routes().topicFor("order.cancelled.dlq"))
                    .isEqualTo("order.cancelled.dlq");
            // The library's defaults (tests, benchmarks, embedders) are the deployed ones, not a second opinion.
            assertThat(context.getBean(RelaySettings.class)).isEqualTo(RelaySettings.defaults());
            assertThat(context.getBean(RetryPolicy.class)).isEqualTo(RetryPolicy.defaults());
        }
    }

    @Test
    void environmentVariablesOverrideTheDefaults() {
        try (var context = start(Map.of("RELAY_SAFETY_MARGIN", "40s", "RELAY_KAFKA_MAX_BLOCK_MS", "3000",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "AWS_MSK_IAM"))) {
            assertThat(context.getBean(RelaySettings.class).safetyMargin()).isEqualTo(Duration.ofSeconds(40));
            assertThat(context.getBean(ProducerConfiguration.class).maxBlockMs()).isEqualTo(3000);
            var kafka = new HashMap<String, Object>();
            context.getBean(KafkaConnectionConfiguration.class).putInto(kafka);
            assertThat(kafka).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                    .doesNotContainKey("sasl.jaas.config");
        }
    }

    /**
     * The README's configuration table is application.yml's: every {@code relay.*}, {@code kafka.*} and
     * {@code topics.*} key is a row, with its environment variable and default as written in the yml.
     */
    @Test
    void readmeConfigurationTableMatchesApplicationYml() throws Exception {
        Map<String, String> yml = new TreeMap<>();
        try (var in = RelayConfigurationTest.class.getResourceAsStream("/application.yml")) {
            flatten("", new Yaml().load(in), yml);
        }
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length < 5 || !cells[1].trim().matches("`(relay|kafka|topics|reconciliation)\\.[a-z.-]+`")) {
                continue;
            }
            String key = unquote(cells[1]);
            String env = unquote(cells[2]);
            String fallback = cells[3].trim().equals("empty") ? "" : unquote(cells[3]);
            documented.put(key, env.equals("—") ? fallback : "${" + env + ":" + fallback + "}");
        }
        yml.keySet().removeIf(key -> !key.matches("(relay|kafka|topics|reconciliation)\\..*"));
        assertThat(documented).isEqualTo(yml);
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
        } else {
            out.put(prefix, String.valueOf(node).replace("`", ""));
        }
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // Combinations (ADR 0015).
                rejects("claim hold limit within one batch", Map.of("RELAY_CLAIM_HOLD_LIMIT", "25s"),
                        "relay.claim-hold-limit (RELAY_CLAIM_HOLD_LIMIT) = 25000 ms must exceed one batch"),
                rejects("claim hold limit within a longer delivery timeout", Map.of("RELAY_KAFKA_DELIVERY_TIMEOUT_MS", "60000",
                        "RELAY_MAX_DURATION", "200s"), "relay.claim-hold-limit (RELAY_CLAIM_HOLD_LIMIT) = 60000 ms must exceed"),
                rejects("minimum time budget below max.block.ms", Map.of("RELAY_MIN_TIME_BUDGET", "4s"),
                        "relay.min-time-budget (RELAY_MIN_TIME_BUDGET) = 4000 ms must cover relay.producer.max-block-ms"),
                rejects("timeout cannot hold margin plus one batch", Map.of("RELAY_MAX_DURATION", "50s"),
                        "relay.max-duration (RELAY_MAX_DURATION, the Lambda timeout) = 50000 ms must hold"),
                rejects("delivery timeout below linger plus request timeout", Map.of("RELAY_KAFKA_DELIVERY_TIMEOUT_MS", "9000"),
                        "relay.producer.delivery-timeout-ms (RELAY_KAFKA_DELIVERY_TIMEOUT_MS) = 9000 must be at least"),
                rejects("idle poll max below min", Map.of("RELAY_IDLE_POLL_MIN", "200ms"),
                        "relay.idle-poll-max (RELAY_IDLE_POLL_MAX) = PT0.1S must be at least relay.idle-poll-min"),
                rejects("retry backoff max below backoff", Map.of("RELAY_RETRY_BACKOFF", "10m"),
                        "relay.retry-backoff-max (RELAY_RETRY_BACKOFF_MAX) = PT5M must be at least relay.retry-backoff"),
                rejects("SASL protocol without mechanism", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                        "kafka.sasl-mechanism (KAFKA_SASL_MECHANISM) must be set with security protocol SASL_SSL"),
                rejects("same topic for events and dead letters", Map.of("TOPIC_ORDER_CANCELLED_DLQ", "order.created"),
                        "topics.order-created and topics.order-cancelled-dlq must differ"),
                // Negative or zero durations.
                rejects("negative idle limit", Map.of("RELAY_IDLE_LIMIT", "-1s"),
                        "relay.idle-limit (RELAY_IDLE_LIMIT) must not be negative"),
                rejects("negative safety margin", Map.of("RELAY_SAFETY_MARGIN", "-5s"),
                        "relay.safety-margin (RELAY_SAFETY_MARGIN) must not be negative"),
                rejects("zero watch lease", Map.of("relay.watch-lease", "0s"), "relay.watch-lease must be above zero"),
                rejects("zero retry backoff", Map.of("RELAY_RETRY_BACKOFF", "0s"),
                        "relay.retry-backoff (RELAY_RETRY_BACKOFF) must be above zero"),
                rejects("minimum time budget within the wrap-up", Map.of("RELAY_MIN_TIME_BUDGET", "1s",
                        "RELAY_KAFKA_MAX_BLOCK_MS", "500"), "relay.min-time-budget (RELAY_MIN_TIME_BUDGET) must exceed the 1000 ms"),
                rejects("zero retention age", Map.of("RELAY_RETENTION_AGE", "0s"),
                        "relay.retention-age (RELAY_RETENTION_AGE) must be above zero"),
                rejects("negative retention age", Map.of("RELAY_RETENTION_AGE", "-7d"),
                        "relay.retention-age (RELAY_RETENTION_AGE) must be above zero"),
                rejects("zero retention budget", Map.of("RELAY_RETENTION_BUDGET", "0ms"),
                        "relay.retention-budget (RELAY_RETENTION_BUDGET) must be above zero"),
                rejects("zero max.block.ms", Map.of("RELAY_KAFKA_MAX_BLOCK_MS", "0"),
                        "relay.producer.max-block-ms (RELAY_KAFKA_MAX_BLOCK_MS) must be above zero"),
                rejects("zero request timeout", Map.of("RELAY_KAFKA_REQUEST_TIMEOUT_MS", "0"),
                        "relay.producer.request-timeout-ms (RELAY_KAFKA_REQUEST_TIMEOUT_MS) must be above zero"),
                rejects("negative linger", Map.of("RELAY_KAFKA_LINGER_MS", "-1"),
                        "relay.producer.linger-ms (RELAY_KAFKA_LINGER_MS) must not be negative"),
                // Sizes out of range.
                rejects("batch size zero", Map.of("RELAY_BATCH_SIZE", "0"),
                        "relay.batch-size (RELAY_BATCH_SIZE) must be 1 to 10000, was 0"),
                rejects("batch size above the maximum", Map.of("RELAY_BATCH_SIZE", "10001"),
                        "relay.batch-size (RELAY_BATCH_SIZE) must be 1 to 10000, was 10001"),
                rejects("retention batch size zero", Map.of("RELAY_RETENTION_BATCH_SIZE", "0"),
                        "relay.retention-batch-size (RELAY_RETENTION_BATCH_SIZE) must be 1 to 100000, was 0"),
                rejects("max attempts zero", Map.of("RELAY_MAX_ATTEMPTS", "0"),
                        "relay.max-attempts (RELAY_MAX_ATTEMPTS) must be at least 1, was 0"),
                rejects("negative producer batch size", Map.of("RELAY_KAFKA_BATCH_SIZE", "-1"),
                        "relay.producer.batch-size (RELAY_KAFKA_BATCH_SIZE) must not be negative"),
                // Values outside their set, empty names.
                rejects("unknown compression", Map.of("RELAY_KAFKA_COMPRESSION", "brotli"),
                        "relay.producer.compression-type (RELAY_KAFKA_COMPRESSION) must be one of none, gzip, snappy, lz4, zstd, was brotli"),
                rejects("unknown security protocol", Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"),
                        "kafka.security-protocol (KAFKA_SECURITY_PROTOCOL) must be one of"),
                rejects("empty bootstrap servers", Map.of("KAFKA_BOOTSTRAP_SERVERS", " "),
                        "kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) must not be empty"),
                rejects("empty topic", Map.of("TOPIC_ORDER_CREATED", ""),
                        "topics.order-created (TOPIC_ORDER_CREATED) must be a Kafka topic name"),
                rejects("topic with illegal characters", Map.of("TOPIC_ORDER_CANCELLED_DLQ", "order cancelled/dlq"),
                        "topics.order-cancelled-dlq (TOPIC_ORDER_CANCELLED_DLQ) must be a Kafka topic name"),
                rejects("CDC slot with upper-case letters", Map.of("CDC_SLOT", "Outbox_Relay"),
                        "cdc.slot (CDC_SLOT) must be empty (the polling relay) or a replication slot name"),
                rejects("CDC slot longer than PostgreSQL allows", Map.of("CDC_SLOT", "s".repeat(64)),
                        "cdc.slot (CDC_SLOT) must be empty (the polling relay) or a replication slot name"),
                rejects("CDC retention budget zero", Map.of("CDC_RETENTION_BUDGET", "0s"),
                        "cdc.retention-budget (CDC_RETENTION_BUDGET) must be above zero"),
                rejects("metrics namespace with a space", Map.of("RELAY_METRICS_NAMESPACE", "Order Service"),
                        "relay.metrics-namespace (RELAY_METRICS_NAMESPACE): Namespace contains invalid characters"));
    }

    static Arguments rejects(String name, Map<String, Object> settings, String message) {
        return Arguments.of(name, settings, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void startUpFailsNamingTheSetting(String name, Map<String, Object> settings, String message) {
        assertThatThrownBy(() -> start(settings).close()).hasMessageContaining(message);
    }
}
