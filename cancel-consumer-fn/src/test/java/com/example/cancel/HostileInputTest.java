package com.example.cancel;

import static com.example.cancel.CancelRecords.cancel;
import static com.example.cancel.CancelRecords.deadLetter;
import static com.example.cancel.CancelRecords.topic;
import static com.example.cancel.CancelRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, consumer side: hostile ids, keys, values and headers, through the handler against the real PostgreSQL.
 * No record may collapse into another's inbox key, and none may be reported as transient while the database is
 * up: each is applied, a no-op, a duplicate of the very same message, or dead-lettered.
 */
class HostileInputTest {

    static CancelConsumerFunction function;
    static CancelBatchProcessor processor;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        function = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
        json = function.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    static byte[] bytes(int... values) {
        var out = new ByteArrayOutputStream();
        for (int v : values) {
            out.write(v);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** {"eventId":<eventIdJson>,"orderId":...}: eventIdJson is written into the JSON text as is (escapes stay escapes). */
    static byte[] withEventId(String eventIdJson, UUID orderId) {
        return utf8("{\"eventId\":" + eventIdJson + ",\"orderId\":\"" + orderId + "\",\"reason\":\"r\"}");
    }

    /** Through the Lambda serializer and the function's processor, as Lambda would call it. */
    static BatchResult run(EsmBatch batch) {
        return processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
    }

    static void assertNothingTransient(BatchResult result) {
        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result.transientFailures()).isZero();
    }

    static List<Map<String, Object>> inboxKeysOf(String topic) {
        return TestDatabase.rows("select message_key from inbox_message where consumer = 'cancel-consumer-fn'"
                + " and received_at > now() - interval '1 hour' and message_key like ?", "%" + topic + "%");
    }

    @Test
    void eventIdsWithDifferentUnpairedSurrogatesAreTwoMessages() {
        // The input: both used to be stored as "event:evt-?"; B was skipped as a duplicate.
        String topic = topic("hostile-");
        UUID a = TestOrders.create();
        UUID b = TestOrders.create();
        // Event ids are global to the consumer: a fresh prefix keeps this test's ids apart from other tests'.
        String evt = "evt-" + UUID.randomUUID() + "-";
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, withEventId("\"" + evt + "\\ud800\"", a), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, withEventId("\"" + evt + "\\udbff\"", b), List.of()));

        assertNothingTransient(result);
        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.duplicates()).isZero();
        assertThat(TestOrders.status(a)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(b)).isEqualTo("CANCELLED");
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(evt + "\ud800"))).isEqualTo(1);
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(evt + "\udbff"))).isEqualTo(1);
        assertThat(TestOrders.inboxEntries("event:" + evt + "?")).isZero();

        // Each is still deduplicated against itself.
        BatchResult again = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 7, System.currentTimeMillis(), "CREATE_TIME", null, withEventId("\"" + evt + "\\udbff\"", b), List.of()));
        assertThat(again.duplicates()).isEqualTo(1);
    }

    @Test
    void aReasonPostgresCannotHoldExactlyIsDeadLetteredNotMangled() throws IOException {
        String topic = topic("hostile-");
        UUID lone = TestOrders.create();
        UUID pair = TestOrders.create();
        UUID tooLong = TestOrders.create();
        UUID longest = TestOrders.create();
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, cancel(lone, "caf\\udce9"), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(pair, "caf\\ud83d\\ude00"), List.of())
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null,
                        cancel(tooLong, "x".repeat(CancellationReader.MAX_REASON_LENGTH + 1)), List.of())
                .add(topic, 0, 4, System.currentTimeMillis(), "CREATE_TIME", null,
                        cancel(longest, "\ud83d\ude00".repeat(CancellationReader.MAX_REASON_LENGTH)), List.of()));

        assertNothingTransient(result);
        assertThat(TestOrders.status(lone)).isEqualTo("CREATED");
        assertThat(deadLetter(json, topic, 0, 1, "INVALID_FIELD").get("error").get("message").getStringValue())
                .contains("unpaired surrogate");
        assertThat(TestOrders.row(pair).get("cancel_reason")).isEqualTo("caf\ud83d\ude00");
        assertThat(TestOrders.status(tooLong)).isEqualTo("CREATED");
        deadLetter(json, topic, 0, 3, "INVALID_FIELD");
        // The limit counts characters, not UTF-16 units: 2,000 emoji are 4,000 chars and fine.
        assertThat(TestOrders.row(longest).get("cancel_reason"))
                .isEqualTo("\ud83d\ude00".repeat(CancellationReader.MAX_REASON_LENGTH));
    }

    @Test
    void aLongCeIdIsAppliedOnceAndNeverBlocksThePartition() {
        // The input: a 4,000-character ce_id failed the inbox index on every delivery.
        String topic = topic("hostile-");
        UUID order = TestOrders.create();
        UUID after = TestOrders.create();
        UUID huge = TestOrders.create();
        String ceId = topic + "c".repeat(4000);
        String hugeId = topic + "h".repeat(200_000);
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", utf8(order.toString()), cancel(order, "long id"),
                        List.of(Map.entry("ce_id", utf8(ceId))))
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(after, "next"), List.of())
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, cancel(huge, "huge id"),
                        List.of(Map.entry("ce_id", utf8(hugeId))));

        BatchResult first = run(batch);

        assertNothingTransient(first);
        assertThat(first.applied()).isEqualTo(3);
        assertThat(TestOrders.status(order)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(after)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(huge)).isEqualTo("CANCELLED");
        assertThat(InboxKeys.ofEventId(utf8(ceId))).matches("event-sha256:[0-9a-f]{64}");
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(utf8(ceId)))).isEqualTo(1);
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(utf8(hugeId)))).isEqualTo(1);

        BatchResult redelivered = run(batch);
        assertNothingTransient(redelivered);
        assertThat(redelivered.duplicates()).isEqualTo(3);
        // One character less is another message, not a duplicate.
        BatchResult shorter = run(EsmBatch.selfManaged("k:9092").add(topic, 0, 9, System.currentTimeMillis(), "CREATE_TIME", null,
                cancel(order, "other"), List.of(Map.entry("ce_id", utf8(ceId.substring(1))))));
        assertThat(shorter.alreadyCancelled()).isEqualTo(1);
    }

    @Test
    void aLongPayloadEventIdIsAppliedOnce() {
        String topic = topic("hostile-");
        UUID order = TestOrders.create();
        String id = topic + "e".repeat(5000);
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, withEventId("\"" + id + "\"", order), List.of());

        assertNothingTransient(run(batch));
        assertThat(TestOrders.status(order)).isEqualTo("CANCELLED");
        assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(id))).isEqualTo(1);
        // The same id as a ce_id header at another offset is the same key; with other content it is another
        // message under that key: dead-lettered, never applied again and never skipped (ADR 0027).
        BatchResult sameAsHeader = run(EsmBatch.selfManaged("k:9092").add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null,
                cancel(order, "again"), List.of(Map.entry("ce_id", utf8(id)))));
        assertThat(sameAsHeader.deadLettered()).isEqualTo(1);
        assertThat((String) TestOrders.deadLetters(topic, 0, 2).get(0).get("headers"))
                .contains("ID_REUSED_WITH_DIFFERENT_CONTENT", "Inbox key " + InboxKeys.ofEventId(id));
        assertThat(TestOrders.row(order).get("cancel_reason")).isEqualTo("r");
    }

    @Test
    void ceIdBytesAreTheIdentityExactlyAsSent() {
        String topic = topic("hostile-");
        List<byte[]> ids = List.<byte[]>of(
                bytes(0xff), bytes(0xfe),                         // not UTF-8: both were U+FFFD
                utf8("A"), bytes(0xc1, 0x81),                     // overlong "A"
                concat(utf8("evt-"), bytes(0xed, 0xa0, 0x80)),    // encoded surrogate
                concat(utf8("evt-"), bytes(0xed, 0xaf, 0xbf)),
                utf8("i\u0000d"), utf8("i\u0000e"),              // U+0000: was poison, is now an id like any other
                utf8("evt"), utf8(" evt"), utf8("evt "));         // no longer trimmed
        // Event ids are global to the consumer: a fresh prefix keeps this test's ids apart from other tests'.
        byte[] fresh = utf8(UUID.randomUUID().toString());
        ids = ids.stream().map(id -> concat(fresh, id)).toList();
        var batch = EsmBatch.selfManaged("k:9092");
        UUID[] orders = new UUID[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            orders[i] = TestOrders.create();
            batch.add(topic, 0, i, System.currentTimeMillis(), "CREATE_TIME", null, cancel(orders[i], "id " + i),
                    List.of(Map.entry("ce_id", ids.get(i))));
        }

        BatchResult result = run(batch);

        assertNothingTransient(result);
        assertThat(result.applied()).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(TestOrders.status(orders[i])).as("order of id %d", i).isEqualTo("CANCELLED");
            assertThat(TestOrders.inboxEntries(InboxKeys.ofEventId(ids.get(i)))).isEqualTo(1);
        }
        assertThat(run(batch).duplicates()).isEqualTo(ids.size());
    }

    @Test
    void payloadEventIdsAreTheIdentityExactlyAsSent() {
        String topic = topic("hostile-");
        String fresh = UUID.randomUUID().toString();
        List<String> ids = List.of("e1", " e1", "e1 ", "e\\u0000f", "e\\u0000g",
                "x\\udc00", "x\\udfff", "x\\ud83d\\ude00", "x\\ud83d").stream()
                .map(id -> "\"" + fresh + id + "\"").toList();
        var batch = EsmBatch.selfManaged("k:9092");
        UUID[] orders = new UUID[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            orders[i] = TestOrders.create();
            batch.add(topic, 0, i, System.currentTimeMillis(), "CREATE_TIME", null, withEventId(ids.get(i), orders[i]), List.of());
        }

        BatchResult result = run(batch);

        assertNothingTransient(result);
        assertThat(result.applied()).isEqualTo(ids.size());
        for (UUID order : orders) {
            assertThat(TestOrders.status(order)).isEqualTo("CANCELLED");
        }
    }

    @Test
    void aValueThatIsNotOneWellFormedJsonObjectIsPoisonAndCollidesWithNothing() throws IOException {
        String topic = topic("hostile-");
        UUID plain = TestOrders.create();
        UUID overlong = TestOrders.create();
        UUID dupe = TestOrders.create();
        byte[] overlongA = concat(utf8("{\"eventId\":\"evt-"), bytes(0xc1, 0x81), utf8("\",\"orderId\":\"" + overlong + "\"}"));
        byte[] encodedSurrogate = concat(utf8("{\"eventId\":\"evt-"), bytes(0xed, 0xa0, 0x80),
                utf8("\",\"orderId\":\"" + overlong + "\"}"));
        byte[] duplicateName = utf8("{\"eventId\":\"evt-A\",\"eventId\":\"evt-B\",\"orderId\":\"" + dupe + "\"}");
        byte[] trailing = utf8("{\"eventId\":\"evt-C\",\"orderId\":\"" + dupe + "\"} {\"orderId\":\"" + dupe + "\"}");
        byte[] deep = utf8("[".repeat(100_000) + "]".repeat(100_000));
        byte[] latin1 = concat(utf8("{\"orderId\":\"" + dupe + "\",\"reason\":\"caf"), bytes(0xe9), utf8("\"}"));
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, withEventId("\"evt-A-" + topic + "\"", plain), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, overlongA, List.of())
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, encodedSurrogate, List.of())
                .add(topic, 0, 4, System.currentTimeMillis(), "CREATE_TIME", null, duplicateName, List.of())
                .add(topic, 0, 5, System.currentTimeMillis(), "CREATE_TIME", null, trailing, List.of())
                .add(topic, 0, 6, System.currentTimeMillis(), "CREATE_TIME", null, deep, List.of())
                .add(topic, 0, 7, System.currentTimeMillis(), "CREATE_TIME", null, latin1, List.of()));

        assertNothingTransient(result);
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.deadLettered()).isEqualTo(6);
        assertThat(result.duplicates()).isZero();
        assertThat(TestOrders.status(plain)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(overlong)).isEqualTo("CREATED");
        assertThat(TestOrders.status(dupe)).isEqualTo("CREATED");
        for (int offset = 2; offset <= 7; offset++) {
            deadLetter(json, topic, 0, offset, "MALFORMED_JSON");
        }
        assertThat(deadLetter(json, topic, 0, 4, "MALFORMED_JSON").get("error").get("message").getStringValue())
                .contains("Duplicate field");
    }

    @Test
    void ceIdHeadersThatDisagreeArePoisonAndRepeatedEqualOnesAreOneId() throws IOException {
        String topic = topic("hostile-");
        UUID conflicting = TestOrders.create();
        UUID repeated = TestOrders.create();
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, cancel(conflicting, "x"),
                        List.of(Map.entry("ce_id", utf8("a")), Map.entry("ce_id", utf8("b"))))
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(repeated, "y"),
                        List.of(Map.entry("ce_id", utf8("r-1" + topic)), Map.entry("ce_id", utf8("r-1" + topic)))));

        assertNothingTransient(result);
        assertThat(TestOrders.status(conflicting)).isEqualTo("CREATED");
        deadLetter(json, topic, 0, 1, "INVALID_FIELD");
        assertThat(TestOrders.inboxEntries("offset:" + topic + "-0-1")).isEqualTo(1);
        assertThat(TestOrders.status(repeated)).isEqualTo("CANCELLED");
        assertThat(TestOrders.inboxEntries("event:r-1" + topic)).isEqualTo(1);
    }

    @Test
    void hugeAndBinaryHeaderValuesAreBoundedInTheDeadLetterAndKeptExactlyInItsPayload() throws IOException {
        String topic = topic("hostile-");
        UUID order = TestOrders.create();
        byte[] hugeType = utf8("order.created" + "\ud83d\ude00".repeat(100_000));
        byte[] hugeTrace = utf8("00-" + "a".repeat(200_000));
        byte[] binaryCorrelation = bytes(0xff, 0x00, 0xfe);
        byte[] longKey = utf8("k".repeat(4000));
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", longKey, cancel(order, "x"),
                        List.of(Map.entry("ce_type", hugeType), Map.entry("traceparent", hugeTrace),
                                Map.entry("x-correlation-id", binaryCorrelation)))
                // An unknown order with a 4,000-byte key: the key cannot be the dead letter's (indexed) aggregate id.
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", longKey, cancel(UUID.randomUUID(), "y"),
                        List.of(Map.entry("traceparent", hugeTrace)))
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", utf8("\ud83d\ude00".repeat(64)), cancel(UUID.randomUUID(), "z"),
                        List.of(Map.entry("x-correlation-id", utf8("corr-\ud83d\ude00")))));

        assertNothingTransient(result);
        assertThat(result.deadLettered()).isEqualTo(3);
        assertThat(TestOrders.status(order)).isEqualTo("CREATED");
        JsonNode payload = deadLetter(json, topic, 0, 1, "UNSUPPORTED_EVENT_TYPE");
        Map<String, Object> row = TestOrders.deadLetters(topic, 0, 1).get(0);
        String headers = (String) row.get("headers");
        assertThat(headers).doesNotContain("traceparent", "x-correlation-id").hasSizeLessThan(2000);
        assertThat(row.get("aggregate_id")).isEqualTo(topic + "-0-1");
        assertThat(payload.get("error").get("message").getStringValue().length()).isLessThan(200);
        assertThat(Base64.getDecoder().decode(payload.get("key").getStringValue())).isEqualTo(longKey);
        assertThat(Base64.getDecoder().decode(payload.get("headers").get(0).get("value").getStringValue()))
                .isEqualTo(hugeType);
        assertThat(Base64.getDecoder().decode(payload.get("headers").get(2).get("value").getStringValue()))
                .isEqualTo(binaryCorrelation);

        deadLetter(json, topic, 0, 2, "UNKNOWN_ORDER");
        assertThat(TestOrders.deadLetters(topic, 0, 2).get(0).get("aggregate_id")).isEqualTo(topic + "-0-2");
        // 256 bytes of emoji: over the aggregate id bound too. A short UTF-8 trace header is carried over.
        deadLetter(json, topic, 0, 3, "UNKNOWN_ORDER");
        Map<String, Object> third = TestOrders.deadLetters(topic, 0, 3).get(0);
        assertThat(third.get("aggregate_id")).isEqualTo(topic + "-0-3");
        assertThat((String) third.get("headers")).contains("\"x-correlation-id\": \"corr-\ud83d\ude00\"");
    }

    @Test
    void poisonDetailsQuotingBrokenTextAreStorableAndTheDeadLetterReadsBack() throws IOException {
        String topic = topic("hostile-");
        // 79 ASCII chars then an emoji: the old 80-char cut split the pair; and an unpaired surrogate in orderId.
        String cutInsidePair = "x".repeat(78) + "\ud83d\ude00" + "tail";
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, utf8("{\"orderId\":\"" + cutInsidePair + "\"}"), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, utf8("{\"orderId\":\"\\ud800\"}"), List.of())
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, cancel(UUID.randomUUID(), "z"),
                        List.of(Map.entry("ce_specversion", concat(utf8("2.0"), bytes(0xed, 0xa0, 0x80))))));

        assertNothingTransient(result);
        String first = deadLetter(json, topic, 0, 1, "INVALID_ORDER_ID").get("error").get("message").getStringValue();
        assertThat(Utf8Text.storable(first)).isTrue();
        String second = deadLetter(json, topic, 0, 2, "INVALID_ORDER_ID").get("error").get("message").getStringValue();
        assertThat(second).contains("\ufffd");
        deadLetter(json, topic, 0, 3, "UNSUPPORTED_SCHEMA");
    }
}
