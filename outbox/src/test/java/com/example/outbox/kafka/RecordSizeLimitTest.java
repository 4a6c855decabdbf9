package com.example.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRecordSize;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link OutboxRecordSize#publishable} promises, on a real broker with the default {@code message.max.bytes}
 * (1,048,588, as MSK's default) and Kafka's default {@code max.request.size}: the largest publishable message is
 * acknowledged under every compression type, even with content that does not compress (base64 of random bytes, as
 * in a dead letter), and a message one byte over {@code max.request.size} is rejected as poison before it is sent.
 * Without {@link OutboxRecordSize#COMPRESSION_ALLOWANCE} the first half fails: measured, a message whose bound is
 * exactly {@code max.request.size} is refused by the broker with lz4 (up to 32 bytes below it) and snappy (up to 256
 * bytes below), because compression framing grows it past {@code message.max.bytes}.
 */
class RecordSizeLimitTest {

    static final String TOPIC = "record-size-limit";

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "lz4", "gzip", "snappy", "zstd"})
    void theLargestPublishableMessageIsAcknowledgedAndOneByteOverMaxRequestSizeIsRejected(String compression) {
        SharedServers.kafka().createTopics(1, TOPIC);
        var publisher = new KafkaMessagePublisher(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                "compression.type", compression, "linger.ms", 5, "batch.size", 262_144), TopicRoutes.eventTypeIsTopic());
        try {
            int max = OutboxRecordSize.KAFKA_DEFAULT_MAX_REQUEST_SIZE;
            OutboxMessage atLimit = sized((int) OutboxRecordSize.publishableBound(max));
            OutboxMessage over = sized(max + 1);
            assertThat(OutboxRecordSize.publishable(atLimit, max)).isTrue();
            assertThat(OutboxRecordSize.publishable(sized((int) OutboxRecordSize.publishableBound(max) + 1), max)).isFalse();

            List<PublishResult> results = publisher.publish(List.of(new PendingMessage(1, atLimit, 0),
                    new PendingMessage(2, over, 0)));
            assertThat(results.get(0).outcome()).as(String.valueOf(results.get(0).error()))
                    .isEqualTo(PublishResult.Outcome.ACKED);
            assertThat(results.get(1).outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
            assertThat(results.get(1).error()).contains("RecordTooLarge");
        } finally {
            publisher.close();
        }
    }

    /** A JSON message of base64 text (incompressible but for its 6-bit alphabet) whose bound is {@code bytes}. */
    private static OutboxMessage sized(int bytes) {
        OutboxMessage probe = message(0);
        long overhead = OutboxRecordSize.upperBound(probe);
        // The payload's varint length prefix grows from 1 to 3 bytes over this range.
        int payload = (int) (bytes - overhead - 2);
        OutboxMessage message = message(payload);
        if (OutboxRecordSize.upperBound(message) != bytes) {
            throw new IllegalStateException("probe missed: " + OutboxRecordSize.upperBound(message) + " != " + bytes);
        }
        return message;
    }

    private static OutboxMessage message(int payloadBytes) {
        byte[] random = new byte[payloadBytes];
        new Random(payloadBytes).nextBytes(random);
        byte[] text = Base64.getEncoder().encode(random);
        byte[] payload = new byte[payloadBytes];
        System.arraycopy(text, 0, payload, 0, payloadBytes);
        return new OutboxMessage(UUID.nameUUIDFromBytes(("size-" + payloadBytes).getBytes(StandardCharsets.UTF_8)),
                "test", "aggregate-size", TOPIC, "/tests", "application/json",
                Instant.parse("2026-11-30T20:00:00.123456Z"), payload, Map.of());
    }
}
