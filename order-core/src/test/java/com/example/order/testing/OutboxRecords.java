package com.example.order.testing;

import com.example.contracts.EventContracts;
import com.example.outbox.OutboxMessage;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbox rows as the exact Kafka records the relay will send for them (through the publisher's own
 * {@link KafkaMessagePublisher#record}), so tests can check what a use case wrote against its contract without
 * running a relay. No broker is contacted.
 */
public final class OutboxRecords {

    private static final KafkaMessagePublisher PUBLISHER = new KafkaMessagePublisher(Map.of(), TopicRoutes.eventTypeIsTopic());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OutboxRecords() {
    }

    /** The pending outbox rows of that type and aggregate, in append order, as records. */
    public static List<ProducerRecord<byte[], byte[]>> pending(String eventType, String aggregateId) {
        return where("event_type = ? and aggregate_id = ?", eventType, aggregateId);
    }

    /** The pending dead letters of records from that source topic, in append order, as records. */
    public static List<ProducerRecord<byte[], byte[]>> pendingDeadLetters(String sourceTopic) {
        return where("event_type = 'order.cancelled.dlq' and headers->>'dlq-source-topic' = ?", sourceTopic);
    }

    /** Header name to UTF-8 value; fails on a repeated name or non-UTF-8 value. */
    public static Map<String, String> headers(Headers headers) {
        return EventContracts.headerMap(java.util.stream.StreamSupport.stream(headers.spliterator(), false)
                .map((Header h) -> Map.entry(h.key(), h.value())).toList());
    }

    private static List<ProducerRecord<byte[], byte[]>> where(String condition, Object... params) {
        return SharedOrderDatabase.rows("select message_id, aggregate_type, aggregate_id, event_type, source, content_type,"
                + " occurred_at, payload, headers::text as headers from outbox_message where " + condition + " order by id",
                params).stream().map(OutboxRecords::record).toList();
    }

    private static ProducerRecord<byte[], byte[]> record(Map<String, Object> row) {
        Map<String, String> extra = JSON.readValue((String) row.get("headers"), new TypeReference<Map<String, String>>() { });
        var message = new OutboxMessage((UUID) row.get("message_id"), (String) row.get("aggregate_type"),
                (String) row.get("aggregate_id"), (String) row.get("event_type"), (String) row.get("source"),
                (String) row.get("content_type"), ((java.sql.Timestamp) row.get("occurred_at")).toInstant(),
                (byte[]) row.get("payload"), extra);
        return PUBLISHER.record(message);
    }
}
