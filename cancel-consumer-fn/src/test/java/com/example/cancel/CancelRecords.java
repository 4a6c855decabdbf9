package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The order.cancelled records the consumer's tests feed it, and the dead letter they expect back. Each test writes to
 * its own topic, so source positions (and so dead letters) never collide across tests or runs.
 */
final class CancelRecords {

    private CancelRecords() {
    }

    /** A fresh topic name: {@code order.cancelled.<label>} and 8 random hex digits. */
    static String topic(String label) {
        return "order.cancelled." + label + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"orderId":"<orderId>","reason":"<reason>"}}; the reason is written into the JSON text as is. */
    static byte[] cancel(UUID orderId, String reason) {
        return utf8("{\"orderId\":\"" + orderId + "\",\"reason\":\"" + reason + "\"}");
    }

    /** {@code {"orderId":"<orderId>"}}: a cancellation with no reason. */
    static byte[] orderIdOnly(UUID orderId) {
        return utf8("{\"orderId\":\"" + orderId + "\"}");
    }

    /**
     * Asserts exactly one dead letter for the source position, of {@code errorKind} both in its headers and in its
     * payload; returns the payload, parsed with {@code json}.
     */
    static JsonNode deadLetter(JsonMapper json, String topic, int partition, long offset, String errorKind)
            throws IOException {
        List<Map<String, Object>> letters = TestOrders.deadLetters(topic, partition, offset);
        assertThat(letters).as("dead letters at %s-%d-%d", topic, partition, offset).hasSize(1);
        assertThat((String) letters.get(0).get("headers")).contains("\"dlq-error-kind\": \"" + errorKind + "\"");
        JsonNode payload = json.readValue((byte[]) letters.get(0).get("payload"), JsonNode.class);
        assertThat(payload.get("error").get("kind").getStringValue()).isEqualTo(errorKind);
        return payload;
    }
}
