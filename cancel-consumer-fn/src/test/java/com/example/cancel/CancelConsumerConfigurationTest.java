package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.cancel.CancelBatchProcessor.FailureReporting;
import com.example.outbox.Inbox;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The consumer's typed configuration: application.yml's defaults bind, and each rejected setting stops a real
 * application context at start-up with a message naming it. Bad values are given as the environment variables
 * Terraform sets. The datasource does not connect at start-up (application.yml), so no database is needed.
 */
class CancelConsumerConfigurationTest {

    @Test
    void applicationYmlDefaultsBind() {
        try (var context = ApplicationContext.run()) {
            var configuration = context.getBean(CancelConsumerConfiguration.class);
            assertThat(configuration).isEqualTo(new CancelConsumerConfiguration("cancel-consumer-fn",
                    "/order-service/cancel-consumer-fn", FailureReporting.PARTIAL_BATCH, 3000, "OrderService/CancelConsumer",
                    1_048_576));
        }
    }

    @Test
    void failureReportingBindsFromItsHyphenatedName() {
        try (var context = ApplicationContext.run(Map.of("CANCEL_FAILURE_REPORTING", "fail-invocation"))) {
            assertThat(context.getBean(CancelConsumerConfiguration.class).failureReporting())
                    .isEqualTo(FailureReporting.FAIL_INVOCATION);
        }
    }

    /** The README's configuration table is application.yml's, key by key (the datasource URL and credentials aside). */
    @Test
    void readmeConfigurationTableMatchesApplicationYml() throws Exception {
        Map<String, String> yml = new TreeMap<>();
        try (var in = CancelConsumerConfigurationTest.class.getResourceAsStream("/application.yml")) {
            flatten("", new Yaml().load(in), yml);
        }
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length < 5 || !cells[1].trim().matches("`(cancel-consumer|relay-wake-up|datasources)\\.[a-z.-]+`")) {
                continue;
            }
            String env = unquote(cells[2]);
            String fallback = cells[3].trim().equals("empty") ? "" : unquote(cells[3]);
            documented.put(unquote(cells[1]), env.equals("—") ? fallback : "${" + env + ":" + fallback + "}");
        }
        yml.keySet().removeIf(key -> !key.matches("(cancel-consumer|relay-wake-up)\\..*|datasources\\.default\\.connection-timeout"));
        assertThat(documented).isEqualTo(yml);
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }

    private static void flatten(String prefix, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
        } else {
            out.put(prefix, String.valueOf(node));
        }
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("empty consumer name", Map.of("CANCEL_CONSUMER_NAME", " "),
                        "cancel-consumer.consumer-name (CANCEL_CONSUMER_NAME) must be 1 to " + Inbox.MAX_CONSUMER_BYTES),
                Arguments.of("consumer name too long", Map.of("CANCEL_CONSUMER_NAME", "é".repeat(Inbox.MAX_CONSUMER_BYTES / 2 + 1)),
                        "cancel-consumer.consumer-name (CANCEL_CONSUMER_NAME) must be 1 to " + Inbox.MAX_CONSUMER_BYTES),
                Arguments.of("consumer name with NUL", Map.of("CANCEL_CONSUMER_NAME", "cancel\u0000consumer"),
                        "without U+0000"),
                Arguments.of("empty event source", Map.of("CANCEL_EVENT_SOURCE", ""),
                        "cancel-consumer.event-source (CANCEL_EVENT_SOURCE) must be a non-empty URI-reference"),
                Arguments.of("event source not a URI", Map.of("CANCEL_EVENT_SOURCE", "/order service/cancel"),
                        "cancel-consumer.event-source (CANCEL_EVENT_SOURCE) must be a non-empty URI-reference"),
                Arguments.of("unknown failure reporting", Map.of("CANCEL_FAILURE_REPORTING", "retry-forever"),
                        "Error resolving property value [cancel-consumer.failure-reporting]. Unable to convert value [retry-forever]"),
                Arguments.of("zero time reserve", Map.of("CANCEL_TIME_RESERVE_MS", "0"),
                        "cancel-consumer.time-reserve-ms (CANCEL_TIME_RESERVE_MS) must be above zero, was 0"),
                Arguments.of("negative time reserve", Map.of("CANCEL_TIME_RESERVE_MS", "-3000"),
                        "cancel-consumer.time-reserve-ms (CANCEL_TIME_RESERVE_MS) must be above zero, was -3000"),
                Arguments.of("dead-letter limit below the smallest dead letter",
                        Map.of("CANCEL_DEAD_LETTER_MAX_RECORD_BYTES", "65535"),
                        "cancel-consumer.dead-letter-max-record-bytes (CANCEL_DEAD_LETTER_MAX_RECORD_BYTES) must be at least"
                                + " 65536 (the relay producer's max.request.size, Kafka's default 1048576), was 65535"),
                Arguments.of("metrics namespace with a space", Map.of("CANCEL_METRICS_NAMESPACE", "Order Service"),
                        "cancel-consumer.metrics-namespace (CANCEL_METRICS_NAMESPACE): Namespace contains invalid characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void startUpFailsNamingTheSetting(String name, Map<String, Object> settings, String message) {
        assertThatThrownBy(() -> ApplicationContext.run(settings).close()).hasMessageContaining(message);
    }
}
