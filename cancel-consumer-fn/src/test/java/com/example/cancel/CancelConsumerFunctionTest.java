package com.example.cancel;

import static com.example.cancel.CancelRecords.topic;
import static com.example.cancel.CancelRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handler exactly as Lambda drives it: event source mapping JSON through the Lambda serializer, response back
 * to JSON, against the real PostgreSQL. Each test uses its own topic so offsets never collide across tests.
 */
class CancelConsumerFunctionTest {

    static CancelConsumerFunction function;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        function = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        json = function.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    static Map.Entry<String, byte[]> header(String name, String value) {
        return Map.entry(name, utf8(value));
    }

    static String cancel(UUID orderId, String reason) {
        return "{\"orderId\":\"" + orderId + "\",\"reason\":\"" + reason + "\"}";
    }

    static String noFailures() {
        return "{\"batchItemFailures\":[]}";
    }

    @Test
    void mskRecordFromTheAwsShapedFixtureCancelsTheOrder() throws IOException {
        UUID orderId = TestOrders.create();
        String eventId = UUID.randomUUID().toString();
        // After the order's creation: an earlier time (beyond clock skew) is IMPLAUSIBLE_TIME (HostileConsumerReviewTest).
        Instant occurredAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String value = "{\"eventId\":\"ignored-because-ce_id-wins\",\"orderId\":\"" + orderId
                + "\",\"reason\":\"customer request\",\"occurredAt\":\"" + occurredAt + "\",\"extra\":{\"x\":1}}";
        String event;
        try (InputStream in = getClass().getResourceAsStream("/events/msk-order-cancelled.json")) {
            event = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("KEY_BASE64", Base64.getEncoder().encodeToString(utf8(orderId.toString())))
                    .replace("VALUE_BASE64", Base64.getEncoder().encodeToString(utf8(value)))
                    .replace("CE_ID_BYTES", byteArray(utf8(eventId)));
        }

        assertThat(LambdaRuntime.invoke(function, event)).isEqualTo(noFailures());

        Map<String, Object> row = TestOrders.row(orderId);
        assertThat(row.get("status")).isEqualTo("CANCELLED");
        assertThat(row.get("cancel_reason")).isEqualTo("customer request");
        assertThat(((java.sql.Timestamp) row.get("cancelled_at")).toInstant()).isEqualTo(occurredAt);
        assertThat(row.get("version")).isEqualTo(1L);
        // The fixture sends ce_source "/checkout": with ce_id it is the CloudEvents identity (ADR 0027).
        assertThat(TestOrders.inboxEntries("cloudevent:9:/checkout" + eventId)).isEqualTo(1);
    }

    @Test
    void whatKcatSendsWithoutKeyOrHeadersIsApplied() {
        UUID orderId = TestOrders.create();
        String topic = topic("");
        long recordTime = System.currentTimeMillis();
        String event = EsmBatch.selfManaged("localhost:9092")
                .add(topic, 0, 7, recordTime, "CREATE_TIME", null, utf8("{\"orderId\":\"" + orderId
                        + "\",\"reason\":\"customer request\"}"), List.of())
                .toJson();

        assertThat(LambdaRuntime.invoke(function, event)).isEqualTo(noFailures());

        Map<String, Object> row = TestOrders.row(orderId);
        assertThat(row.get("status")).isEqualTo("CANCELLED");
        assertThat(row.get("cancel_reason")).isEqualTo("customer request");
        // No occurredAt, no ce_time: the record timestamp says when it happened.
        assertThat(((java.sql.Timestamp) row.get("cancelled_at")).toInstant()).isEqualTo(Instant.ofEpochMilli(recordTime));
        assertThat(TestOrders.inboxEntries("offset:" + topic + "-0-7")).isEqualTo(1);
    }

    @Test
    void redeliveryOfTheBatchAndTheSameEventAtAnotherOffsetChangeNothing() {
        UUID orderId = TestOrders.create();
        String topic = topic("");
        String eventId = UUID.randomUUID().toString();
        String batch = EsmBatch.msk("arn:aws:kafka:eu-west-1:123456789012:cluster/orders/x", "b-1:9098")
                .add(topic, 0, 100, System.currentTimeMillis(), "CREATE_TIME", utf8(orderId.toString()), utf8(cancel(orderId, "first")),
                        List.of(header("ce_id", eventId)))
                .toJson();
        CancelBatchProcessorAccess counts = new CancelBatchProcessorAccess(function);

        assertThat(LambdaRuntime.invoke(function, batch)).isEqualTo(noFailures());
        Map<String, Object> afterFirst = TestOrders.row(orderId);
        assertThat(afterFirst.get("status")).isEqualTo("CANCELLED");
        long inboxRows = TestDatabase.count("select count(*) from inbox_message");

        // Same batch again: Lambda retried it.
        BatchResult again = counts.process(batch);
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.applied() + again.alreadyCancelled() + again.deadLettered()).isZero();

        // Same event, new batch, other offset and timestamp: producer retry or replay (same value and headers).
        String replay = EsmBatch.msk("arn", "b-1:9098")
                .add(topic, 0, 250, 2L, "CREATE_TIME", utf8(orderId.toString()), utf8(cancel(orderId, "first")),
                        List.of(header("ce_id", eventId)))
                .toJson();
        assertThat(LambdaRuntime.invoke(function, replay)).isEqualTo(noFailures());
        BatchResult replayCounts = counts.process(replay);
        assertThat(replayCounts.duplicates()).isEqualTo(1);

        assertThat(TestOrders.row(orderId)).isEqualTo(afterFirst);
        assertThat(TestDatabase.count("select count(*) from inbox_message")).isEqualTo(inboxRows);
        assertThat(TestOrders.inboxEntries("event:" + eventId)).isEqualTo(1);
    }

    @Test
    void cancellingACancelledOrderIsASuccessfulNoOp() {
        UUID orderId = TestOrders.create();
        String topic = topic("");
        CancelBatchProcessorAccess processor = new CancelBatchProcessorAccess(function);
        processor.process(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(orderId, "first")), List.of()).toJson());
        Map<String, Object> cancelled = TestOrders.row(orderId);

        // A different message (new event id) cancelling the same order: recorded, nothing changes.
        BatchResult second = processor.process(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(orderId, "second")),
                        List.of(header("ce_id", UUID.randomUUID().toString()))).toJson());

        assertThat(second.alreadyCancelled()).isEqualTo(1);
        assertThat(second.retried()).isZero();
        assertThat(TestOrders.row(orderId)).isEqualTo(cancelled);
        assertThat(cancelled.get("cancel_reason")).isEqualTo("first");
    }

    @Test
    void mixedBatchAcrossTwoPartitionsAppliesGoodDeadLettersPoisonAndSkipsDuplicates() throws IOException {
        String topic = topic("");
        UUID a = TestOrders.create();
        UUID b = TestOrders.create();
        UUID c = TestOrders.create();
        UUID unknown = UUID.randomUUID();
        String idA = UUID.randomUUID().toString();
        String idB = UUID.randomUUID().toString();
        byte[] malformed = utf8("{\"orderId\": \"" + a + "\", \"reason\": ");
        byte[] invalidId = utf8("{\"orderId\":\"not-a-uuid\",\"reason\":\"x\"}");
        byte[] unknownOrder = utf8(cancel(unknown, "who?"));
        byte[] binaryKey = {(byte) 0xff, 0x00, (byte) 0xfe};

        String batch = EsmBatch.selfManaged("k:9092")
                // partition 0: good A, duplicate of A (same ce_id and value, later offset, no trace), malformed JSON
                .add(topic, 0, 10, System.currentTimeMillis(), "CREATE_TIME", utf8(a.toString()), utf8(cancel(a, "A")),
                        List.of(header("ce_id", idA), header("traceparent",
                                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
                .add(topic, 0, 11, System.currentTimeMillis(), "CREATE_TIME", utf8(a.toString()), utf8(cancel(a, "A")),
                        List.of(header("ce_id", idA)))
                .add(topic, 0, 12, System.currentTimeMillis(), "CREATE_TIME", binaryKey, malformed,
                        List.of(header("x-correlation-id", "corr-1"), Map.entry("bin", new byte[] {(byte) 0x80, 1})))
                // partition 1: unknown order, good B (eventId in payload), invalid orderId, good C (no id at all)
                .add(topic, 1, 20, System.currentTimeMillis(), "CREATE_TIME", null, unknownOrder, List.of())
                .add(topic, 1, 21, System.currentTimeMillis(), "CREATE_TIME", null,
                        utf8("{\"eventId\":\"" + idB + "\",\"orderId\":\"" + b + "\",\"reason\":\"B\"}"), List.of())
                .add(topic, 1, 22, System.currentTimeMillis(), "CREATE_TIME", null, invalidId, List.of())
                .add(topic, 1, 23, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(c, "C")), List.of())
                .toJson();

        BatchResult counts = new CancelBatchProcessorAccess(function).process(batch);

        assertThat(counts).isEqualTo(new BatchResult(7, 3, 0, 1, 3, 0, List.of()));
        assertThat(TestOrders.status(a)).isEqualTo("CANCELLED");
        assertThat(TestOrders.row(a).get("cancel_reason")).isEqualTo("A");
        assertThat(TestOrders.status(b)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(c)).isEqualTo("CANCELLED");
        assertThat(TestOrders.inboxEntries("event:" + idA)).isEqualTo(1);
        assertThat(TestOrders.inboxEntries("event:" + idB)).isEqualTo(1);
        assertThat(TestOrders.inboxEntries("offset:" + topic + "-1-23")).isEqualTo(1);

        // Every poison record: one dead letter with the original bytes and the error, plus its inbox entry.
        JsonNode malformedLetter = deadLetter(topic, 0, 12, "MALFORMED_JSON", malformed);
        assertThat(decode(malformedLetter.get("key"))).isEqualTo(binaryKey);
        JsonNode headers = malformedLetter.get("headers");
        assertThat(headers.size()).isEqualTo(2);
        assertThat(headers.get(1).get("name").getStringValue()).isEqualTo("bin");
        assertThat(decode(headers.get(1).get("value"))).isEqualTo(new byte[] {(byte) 0x80, 1});
        assertThat(TestOrders.inboxEntries("offset:" + topic + "-0-12")).isEqualTo(1);
        // A key that is not UTF-8 cannot be the Kafka key of the dead letter: the source position is.
        assertThat(TestOrders.deadLetters(topic, 0, 12).get(0).get("aggregate_id")).isEqualTo(topic + "-0-12");
        assertThat((String) TestOrders.deadLetters(topic, 0, 12).get(0).get("headers")).contains("\"x-correlation-id\": \"corr-1\"");

        deadLetter(topic, 1, 20, "UNKNOWN_ORDER", unknownOrder);
        deadLetter(topic, 1, 22, "INVALID_ORDER_ID", invalidId);
        assertThat(TestOrders.inboxEntries("offset:" + topic + "-1-20")).isEqualTo(1);
        assertThat(TestOrders.inboxEntries("offset:" + topic + "-1-22")).isEqualTo(1);

        // The whole batch again: all duplicates, not one new row anywhere.
        long rows = allRows();
        BatchResult again = new CancelBatchProcessorAccess(function).process(batch);
        assertThat(again).isEqualTo(new BatchResult(7, 0, 0, 7, 0, 0, List.of()));
        assertThat(allRows()).isEqualTo(rows);
        assertThat(TestOrders.deadLetters(topic, 0, 12)).hasSize(1);
    }

    @Test
    void unsupportedSchemaVersionsAndEventTypesAreDeadLettered() throws IOException {
        String topic = topic("");
        UUID order = TestOrders.create();
        byte[] v2 = utf8("{\"schemaVersion\":2,\"orderId\":\"" + order + "\"}");
        byte[] ok = utf8(cancel(order, "fine"));
        String batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, v2, List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, ok, List.of(header("ce_specversion", "0.3")))
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, ok, List.of(header("ce_type", "order.created")))
                .add(topic, 0, 4, System.currentTimeMillis(), "CREATE_TIME", null, ok, List.of(header("content-type", "application/avro")))
                .add(topic, 0, 5, System.currentTimeMillis(), "CREATE_TIME", null, null, List.of())
                .add(topic, 0, 6, System.currentTimeMillis(), "CREATE_TIME", null, utf8("{\"reason\":\"no id\"}"), List.of())
                .add(topic, 0, 7, System.currentTimeMillis(), "CREATE_TIME", null, utf8("[1,2]"), List.of())
                .add(topic, 0, 8, System.currentTimeMillis(), "CREATE_TIME", null,
                        utf8("{\"orderId\":\"" + order + "\",\"occurredAt\":\"yesterday\"}"), List.of())
                .toJson();

        BatchResult counts = new CancelBatchProcessorAccess(function).process(batch);

        assertThat(counts.deadLettered()).isEqualTo(8);
        assertThat(TestOrders.status(order)).isEqualTo("CREATED");
        deadLetter(topic, 0, 1, "UNSUPPORTED_SCHEMA", v2);
        deadLetter(topic, 0, 2, "UNSUPPORTED_SCHEMA", ok);
        deadLetter(topic, 0, 3, "UNSUPPORTED_EVENT_TYPE", ok);
        deadLetter(topic, 0, 4, "UNSUPPORTED_CONTENT_TYPE", ok);
        JsonNode tombstone = deadLetter(topic, 0, 5, "MALFORMED_JSON", null);
        assertThat(tombstone.get("value").isNull()).isTrue();
        deadLetter(topic, 0, 6, "MISSING_ORDER_ID", utf8("{\"reason\":\"no id\"}"));
        deadLetter(topic, 0, 7, "MALFORMED_JSON", utf8("[1,2]"));
        deadLetter(topic, 0, 8, "INVALID_FIELD", null);
    }

    /**
     * Values PostgreSQL can never store (U+0000 in text or jsonb, a time outside timestamptz's range) are poison:
     * before the fix each failed in the database, was taken for an outage, and blocked its partition for good. An
     * event id with U+0000 is not stored as such (its key is a digest, see InboxKeys), so it is applied.
     */
    @Test
    void valuesThePostgresCannotStoreAreDeadLetteredAndDoNotBlockThePartition() throws IOException {
        String topic = topic("");
        UUID nulReason = TestOrders.create();
        UUID farFuture = TestOrders.create();
        UUID nulCeId = TestOrders.create();
        UUID nulEventId = TestOrders.create();
        UUID good = TestOrders.create();
        byte[] notJson = utf8("{not json");
        String ceId = "i\u0000d-" + topic;
        String eventId = "e\u0000f-" + topic;
        String batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null,
                        utf8("{\"orderId\":\"" + nulReason + "\",\"reason\":\"a\\u0000b\"}"), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null,
                        utf8("{\"orderId\":\"" + farFuture + "\",\"occurredAt\":\"+300000-01-01T00:00:00Z\"}"), List.of())
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(nulCeId, "x")), List.of(header("ce_id", ceId)))
                .add(topic, 0, 4, System.currentTimeMillis(), "CREATE_TIME", null,
                        utf8("{\"eventId\":\"" + eventId.replace("\u0000", "\\u0000") + "\",\"orderId\":\""
                                + nulEventId + "\"}"), List.of())
                .add(topic, 0, 5, System.currentTimeMillis(), "CREATE_TIME", utf8("key\u0000"), notJson,
                        List.of(header("traceparent", "00-\u0000-1"), header("x-correlation-id", "c\u0000d"),
                                header("ce_specversion", "9\u00000")))
                .add(topic, 0, 6, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(good, "fine")), List.of())
                .toJson();

        String response = LambdaRuntime.invoke(function, batch);

        assertThat(response).isEqualTo(noFailures());
        assertThat(TestOrders.status(good)).as("the partition went on past the poison").isEqualTo("CANCELLED");
        for (UUID untouched : List.of(nulReason, farFuture)) {
            assertThat(TestOrders.status(untouched)).isEqualTo("CREATED");
        }
        deadLetter(topic, 0, 1, "INVALID_FIELD", null);
        deadLetter(topic, 0, 2, "IMPLAUSIBLE_TIME", null);
        assertThat(TestOrders.status(nulCeId)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(nulEventId)).isEqualTo("CANCELLED");
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(utf8(ceId)))).isEqualTo(1);
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(eventId))).isEqualTo(1);
        assertThat(TestOrders.deadLetters(topic, 0, 3)).isEmpty();
        assertThat(TestOrders.deadLetters(topic, 0, 4)).isEmpty();
        deadLetter(topic, 0, 5, "UNSUPPORTED_SCHEMA", notJson);
    }

    @Test
    void recordsOfOnePartitionAreAppliedInOffsetOrderWhateverTheirOrderInTheEvent() {
        UUID orderId = TestOrders.create();
        String topic = topic("");
        // Offset 41 listed before offset 40: the earlier offset must win (it is the one that happened first).
        String batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 3, 41, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(orderId, "later")), List.of())
                .add(topic, 3, 40, System.currentTimeMillis(), "CREATE_TIME", null, utf8(cancel(orderId, "earlier")), List.of())
                .toJson();

        BatchResult counts = new CancelBatchProcessorAccess(function).process(batch);

        assertThat(counts.applied()).isEqualTo(1);
        assertThat(counts.alreadyCancelled()).isEqualTo(1);
        assertThat(TestOrders.row(orderId).get("cancel_reason")).isEqualTo("earlier");
    }

    @Test
    void partialBatchResponseHasTheKafkaShape() {
        var response = new KafkaBatchResponse(List.of(new KafkaBatchResponse.BatchItemFailure(
                new KafkaBatchResponse.ItemIdentifier("order.cancelled-3", 42))));
        assertThat(LambdaRuntime.toJson(response, KafkaBatchResponse.class))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":{\"partition\":\"order.cancelled-3\",\"offset\":42}}]}");
    }

    @Test
    void esmBatchJsonReadsBackThroughTheLambdaSerializerByteForByte() {
        byte[] value = {0, (byte) 0xff, 'x', (byte) 0x80};
        byte[] headerValue = {(byte) 0xc3, (byte) 0xa9, (byte) 0x80, 0x7f, 0};
        String json = EsmBatch.selfManaged("k:9092")
                .add("t.x", 2, 9, 123L, "LOG_APPEND_TIME", utf8("key"), value, List.of(Map.entry("h", headerValue)))
                .toJson();

        var event = LambdaRuntime.kafkaEvent(json);

        assertThat(event.getEventSource()).isEqualTo("SelfManagedKafka");
        var record = event.getRecords().get("t.x-2").get(0);
        assertThat(record.getOffset()).isEqualTo(9);
        assertThat(record.getTimestampType()).isEqualTo("LOG_APPEND_TIME");
        assertThat(Base64.getDecoder().decode(record.getValue())).isEqualTo(value);
        assertThat(Base64.getDecoder().decode(record.getKey())).isEqualTo(utf8("key"));
        assertThat(record.getHeaders().get(0).get("h")).isEqualTo(headerValue);
    }

    /** Asserts exactly one dead letter at that position with that error and original value; returns its payload. */
    static JsonNode deadLetter(String topic, int partition, long offset, String errorKind, byte[] originalValue)
            throws IOException {
        List<Map<String, Object>> letters = TestOrders.deadLetters(topic, partition, offset);
        assertThat(letters).as("dead letters at %s-%d-%d", topic, partition, offset).hasSize(1);
        Map<String, Object> row = letters.get(0);
        assertThat(row.get("source")).isEqualTo("/order-service/cancel-consumer-fn");
        assertThat((String) row.get("headers")).contains("\"dlq-error-kind\": \"" + errorKind + "\"",
                "\"dlq-consumer\": \"cancel-consumer-fn\"");
        JsonNode payload = json.readValue((byte[]) row.get("payload"), JsonNode.class);
        assertThat(payload.get("dlqVersion").getNumberValue().intValue()).isEqualTo(1);
        assertThat(payload.get("error").get("kind").getStringValue()).isEqualTo(errorKind);
        assertThat(payload.get("error").get("message").getStringValue()).isNotBlank();
        assertThat(payload.get("source").get("topic").getStringValue()).isEqualTo(topic);
        assertThat(payload.get("source").get("partition").getNumberValue().intValue()).isEqualTo(partition);
        assertThat(payload.get("source").get("offset").getNumberValue().longValue()).isEqualTo(offset);
        assertThat(payload.get("consumer").getStringValue()).isEqualTo("cancel-consumer-fn");
        assertThat(payload.get("deadLetteredAt").getStringValue()).isNotBlank();
        if (originalValue != null) {
            assertThat(decode(payload.get("value"))).isEqualTo(originalValue);
        }
        return payload;
    }

    static byte[] decode(JsonNode base64) {
        return Base64.getDecoder().decode(base64.getStringValue());
    }

    static long allRows() {
        return TestDatabase.count("select (select count(*) from orders) + (select count(*) from outbox_message)"
                + " + (select count(*) from inbox_message)");
    }

    static String byteArray(byte[] bytes) {
        var values = new ArrayList<String>();
        for (byte b : bytes) {
            values.add(Byte.toString(b));
        }
        return "[" + String.join(",", values) + "]";
    }

    /** Runs a batch through the same Lambda deserialization and the function's processor, returning the counts. */
    static final class CancelBatchProcessorAccess {
        private final CancelBatchProcessor processor;

        CancelBatchProcessorAccess(CancelConsumerFunction function) {
            this.processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
        }

        BatchResult process(String eventJson) {
            BatchResult result = processor.process(LambdaRuntime.kafkaEvent(eventJson), () -> 60_000);
            return result;
        }
    }

}
