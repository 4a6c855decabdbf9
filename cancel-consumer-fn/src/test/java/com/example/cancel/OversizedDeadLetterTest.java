package com.example.cancel;

import static com.example.cancel.CancelRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.example.order.data.OutboxMessages;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRecordSize;
import com.example.outbox.OutboxRelay;
import com.example.outbox.RelayRun;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.EsmBatch;
import com.example.servers.KafkaServer;
import com.example.servers.SharedServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poison {@code order.cancelled} record near the broker's maximum message size (1 MB, the embedded broker's
 * {@code message.max.bytes} as MSK's default) must give a dead letter the relay can publish: its complete form
 * (the value base64, about 4/3 of it) would exceed the relay producer's {@code max.request.size} and be parked.
 * Real broker, real PostgreSQL, the real handler, and the relay with the deployed producer settings (lz4, Kafka's
 * default {@code max.request.size}).
 */
class OversizedDeadLetterTest {

    static final String SOURCE_TOPIC = "order.cancelled.oversized";
    static final String DLQ = "order.cancelled.dlq";
    static final String CONSUMER = "cancel-consumer-fn";

    static KafkaServer kafka;
    static CancelConsumerFunction consumer;
    static KafkaMessagePublisher publisher;
    static OutboxRelay relay;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        kafka = SharedServers.kafka();
        kafka.createTopics(1, SOURCE_TOPIC, DLQ);
        consumer = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        json = consumer.getApplicationContext().getBean(JsonMapper.class);
        // What the relay function deploys (outbox-relay-fn application.yml): lz4, linger 5 ms, 256 KiB batches, and
        // no max.request.size, so Kafka's default.
        publisher = new KafkaMessagePublisher(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "compression.type", "lz4", "linger.ms", 5, "batch.size", 262_144), TopicRoutes.eventTypeIsTopic());
        relay = TestDatabase.outboxRelay(publisher);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        consumer.close();
    }

    @Test
    void aOneMegabytePoisonRecordBecomesAPublishableDeadLetterWithItsCoordinatesSizeAndDigests() throws Exception {
        byte[] value = random(1_040_000, 1); // not JSON: MALFORMED_JSON, and incompressible
        byte[] key = ("order-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String eventId = "big-" + UUID.randomUUID();
        RecordMetadata sent = produce(key, value, List.of(Map.entry("ce_id", utf8(eventId)),
                Map.entry("x-correlation-id", utf8("corr-1"))));
        ConsumerRecord<byte[], byte[]> original = consume(sent);
        assertThat(original.value()).isEqualTo(value);

        JsonNode letter = deadLetterOnTheTopic(original, "event:" + eventId);
        JsonNode omitted = letter.get("payloadOmitted");
        assertThat(omitted).as("the value is left out").isNotNull();
        assertThat(omitted.get("reason").getStringValue()).isEqualTo("TOO_LARGE");
        assertThat(omitted.get("parts").get(0).getStringValue()).isEqualTo("value");
        assertThat(omitted.get("parts").size()).as("the key and headers still fit").isEqualTo(1);
        assertThat(omitted.get("completeRecordBytes").getLongValue()).isGreaterThan(1_048_576);
        JsonNode facts = omitted.get("original");
        assertThat(facts.get("valueBytes").getLongValue()).isEqualTo(value.length);
        assertThat(facts.get("valueSha256").getStringValue()).isEqualTo(sha256(value));
        assertThat(facts.get("keySha256").getStringValue()).isEqualTo(sha256(key));
        assertThat(facts.get("headerCount").getIntValue()).isEqualTo(2);
        assertThat(letter.get("value").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(letter.get("key").getStringValue())).isEqualTo(key);
        assertThat(letter.get("headers").size()).isEqualTo(2);
        assertThat(letter.get("error").get("kind").getStringValue()).isEqualTo("MALFORMED_JSON");
        JsonNode source = letter.get("source");
        assertThat(source.get("topic").getStringValue()).isEqualTo(SOURCE_TOPIC);
        assertThat(source.get("partition").getIntValue()).isEqualTo(sent.partition());
        assertThat(source.get("offset").getLongValue()).isEqualTo(sent.offset());
        assertThat(source.get("timestamp").getLongValue()).isEqualTo(original.timestamp());
    }

    @Test
    void aSmallPoisonRecordStillCarriesItsBody() throws Exception {
        byte[] value = "{\"orderId\": \"0b7d1e2f".getBytes(StandardCharsets.UTF_8);
        String eventId = "small-" + UUID.randomUUID();
        ConsumerRecord<byte[], byte[]> original = consume(produce(null, value, List.of(Map.entry("ce_id", utf8(eventId)))));

        JsonNode letter = deadLetterOnTheTopic(original, "event:" + eventId);
        assertThat(letter.get("payloadOmitted")).isNull();
        assertThat(Base64.getDecoder().decode(letter.get("value").getStringValue())).isEqualTo(value);
    }

    /**
     * The boundary: a complete dead letter within 1 KB of the largest the default setting allows is published with
     * the relay's lz4 compression (content that does not compress, so compression only adds framing: without
     * {@code OutboxRecordSize.COMPRESSION_ALLOWANCE} the broker would refuse it, RecordSizeLimitTest in outbox).
     */
    @Test
    void theLargestCompleteDeadLetterTheDefaultAllowsIsPublishedAsIs() throws Exception {
        int limit = consumer.getApplicationContext().getBean(CancelConsumerConfiguration.class).deadLetterMaxRecordBytes();
        String eventId = "edge-" + UUID.randomUUID();
        int size = largestCompleteValue(limit, "event:" + eventId);
        ConsumerRecord<byte[], byte[]> original = consume(produce(null, random(size, 3),
                List.of(Map.entry("ce_id", utf8(eventId)))));

        ConsumerRecord<byte[], byte[]> published = deadLetterRecord(original, "event:" + eventId);
        long producerCounted = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.LZ4, published.key(), published.value(), published.headers().toArray());
        long bound = OutboxRecordSize.publishableBound(limit);
        assertThat(producerCounted).as("within 1 KB of the largest the setting allows").isBetween(bound - 1_000, bound);
        JsonNode letter = json.readValue(published.value(), JsonNode.class);
        assertThat(letter.get("payloadOmitted")).as("complete at the limit").isNull();
        assertThat(Base64.getDecoder().decode(letter.get("value").getStringValue())).isEqualTo(original.value());
    }

    @Test
    void theCompleteDeadLetterOfAOneMegabyteRecordWouldBeRefusedByTheRelaysProducer() {
        var message = new ReceivedMessage(SOURCE_TOPIC, 0, 1, 1_700_000_000_000L, "CREATE_TIME", null,
                random(1_040_000, 4), List.of());
        var letter = new DeadLetter(CONSUMER, "offset:" + SOURCE_TOPIC + "-0-1", message, DeadLetter.ErrorKind.MALFORMED_JSON, "not JSON",
                Instant.now(), null);
        OutboxMessage complete = OutboxMessages.of(letter, "/test", Integer.MAX_VALUE);
        try (var producer = new KafkaProducer<>(KafkaMessagePublisher.guaranteed(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "compression.type", "lz4")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(publisher.record(complete)).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    /** The record value size whose complete dead letter is exactly as large as {@code limit} allows. */
    private static int largestCompleteValue(int limit, String inboxKey) {
        int low = 0;
        int high = limit;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            var message = new ReceivedMessage(SOURCE_TOPIC, 0, 999_999_999L, 1_700_000_000_000L, "CREATE_TIME", null,
                    new byte[mid], List.of(new ReceivedMessage.Header("ce_id", utf8(inboxKey.substring(6)))));
            var letter = new DeadLetter(CONSUMER, inboxKey, message, DeadLetter.ErrorKind.MALFORMED_JSON,
                    "x".repeat(120), Instant.parse("2026-11-30T20:00:00.123456Z"), null);
            boolean complete = !new String(OutboxMessages.of(letter, "/order-service/cancel-consumer-fn", limit)
                    .payload(), StandardCharsets.UTF_8).contains("payloadOmitted");
            if (complete) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low - 300; // the real error detail and offset differ a little from the probe's
    }

    private static JsonNode deadLetterOnTheTopic(ConsumerRecord<byte[], byte[]> original, String inboxKey)
            throws Exception {
        return json.readValue(deadLetterRecord(original, inboxKey).value(), JsonNode.class);
    }

    /** The handler dead-letters the record; the relay publishes the dead letter; returns it as read back. */
    private static ConsumerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> original,
            String inboxKey) throws Exception {
        String batch = EsmBatch.msk("arn:aws:kafka:eu-west-1:123456789012:cluster/orders/big", kafka.bootstrapServers())
                .addAll(List.of(original)).toJson();
        assertThat(LambdaRuntime.invoke(consumer, batch)).isEqualTo("{\"batchItemFailures\":[]}");
        UUID ceId = UUID.nameUUIDFromBytes(("dead-letter|" + CONSUMER + "|" + inboxKey).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> row = TestDatabase.single("select length(payload) as bytes from outbox_message where message_id = ?",
                ceId);
        assertThat(((Number) row.get("bytes")).longValue()).isPositive();

        RelayRun run = relay.drain(() -> 30_000);
        assertThat(TestDatabase.count("select count(*) from outbox_message where message_id = ?", ceId))
                .as("published, not retried or parked: " + run).isZero();
        assertThat(TestDatabase.count("select count(*) from outbox_published where message_id = ?", ceId)).isEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> read = EndToEndTest.readUntil(kafka, DLQ,
                r -> ceId.toString().equals(header(r, "ce_id")));
        ConsumerRecord<byte[], byte[]> letter = read.get(read.size() - 1);
        assertThat(header(letter, "dlq-source-topic")).isEqualTo(SOURCE_TOPIC);
        assertThat(header(letter, "dlq-source-offset")).isEqualTo(Long.toString(original.offset()));
        return letter;
    }

    private static RecordMetadata produce(byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers)
            throws Exception {
        // A producer that lets the record reach the broker, which accepts up to message.max.bytes (1,048,588).
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "max.request.size", 2_000_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            var recordHeaders = new RecordHeaders();
            headers.forEach(h -> recordHeaders.add(h.getKey(), h.getValue()));
            return producer.send(new ProducerRecord<>(SOURCE_TOPIC, null, key, value, recordHeaders)).get();
        }
    }

    private static ConsumerRecord<byte[], byte[]> consume(RecordMetadata sent) {
        List<ConsumerRecord<byte[], byte[]>> read = EndToEndTest.readUntil(kafka, SOURCE_TOPIC,
                r -> r.partition() == sent.partition() && r.offset() == sent.offset());
        return read.get(read.size() - 1);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        bytes[0] = 'x'; // never valid JSON
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
