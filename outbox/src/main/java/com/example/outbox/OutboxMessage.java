package com.example.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A message to publish, as the application hands it to the outbox.
 *
 * <p>The CloudEvents attributes are first-class fields; the relay turns them into the Kafka binary-binding
 * headers ({@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_specversion}, {@code ce_time},
 * {@code content-type}). {@code extraHeaders} carries anything else to send as a header, such as
 * {@code traceparent} or a correlation id.
 *
 * @param messageId     unique id of this message, also the CloudEvents id; consumers dedupe on it
 * @param aggregateType what kind of thing the aggregate is, e.g. "order" (for operators, not routing)
 * @param aggregateId   the Kafka key; messages with the same aggregate id are published in append order
 * @param eventType     the CloudEvents type, e.g. "order.created"; the relay maps it to a topic
 * @param source        the CloudEvents source, e.g. "/order-service/create-order-fn"
 * @param contentType   media type of the payload
 * @param occurredAt    when the event happened (CloudEvents time)
 * @param payload       the record value, exactly as it will be sent
 * @param extraHeaders  further headers, name to value
 */
public record OutboxMessage(
        UUID messageId,
        String aggregateType,
        String aggregateId,
        String eventType,
        String source,
        String contentType,
        Instant occurredAt,
        byte[] payload,
        Map<String, String> extraHeaders) {

    public OutboxMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    }

    /** A JSON message with no extra headers. */
    public static OutboxMessage json(UUID messageId, String aggregateType, String aggregateId, String eventType,
            String source, Instant occurredAt, byte[] payload) {
        return new OutboxMessage(messageId, aggregateType, aggregateId, eventType, source, "application/json",
                occurredAt, payload, Map.of());
    }

    /**
     * The Kafka record headers a relay sends for this message, in order: the CloudEvents binary binding
     * ({@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_specversion} = 1.0, {@code ce_time} as ISO-8601,
     * {@code content-type}), then {@code extraHeaders} (in the map's iteration order); values as UTF-8. One definition, so the publisher and
     * {@link OutboxRecordSize} cannot disagree.
     */
    public List<Map.Entry<String, byte[]>> recordHeaders() {
        var headers = new ArrayList<Map.Entry<String, byte[]>>(6 + extraHeaders.size());
        headers.add(Map.entry("ce_id", utf8(messageId.toString())));
        headers.add(Map.entry("ce_type", utf8(eventType)));
        headers.add(Map.entry("ce_source", utf8(source)));
        headers.add(Map.entry("ce_specversion", utf8("1.0")));
        headers.add(Map.entry("ce_time", utf8(DateTimeFormatter.ISO_INSTANT.format(occurredAt))));
        headers.add(Map.entry("content-type", utf8(contentType)));
        extraHeaders.forEach((name, value) -> headers.add(Map.entry(name, utf8(value))));
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public OutboxMessage withExtraHeaders(Map<String, String> headers) {
        return new OutboxMessage(messageId, aggregateType, aggregateId, eventType, source, contentType, occurredAt,
                payload, headers);
    }
}
