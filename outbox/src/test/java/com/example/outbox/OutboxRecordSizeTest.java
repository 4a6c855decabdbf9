package com.example.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * {@link OutboxRecordSize} is exactly the figure the relay's Kafka producer compares with {@code max.request.size},
 * for the record the relay really builds. Fixed seed (jqwik prints it in the report).
 */
class OutboxRecordSizeTest {

    static final String SEED = "20261130";

    private static final KafkaMessagePublisher PUBLISHER =
            new KafkaMessagePublisher(Map.of("bootstrap.servers", "localhost:1"), new TopicRoutes(Map.of()));

    @Property(tries = 200, seed = SEED)
    void equalsKafkasOwnEstimateOfTheRelaysRecord(@ForAll("messages") OutboxMessage message) {
        ProducerRecord<byte[], byte[]> record = PUBLISHER.record(message);
        int kafka = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.LZ4, record.key(), record.value(), record.headers().toArray());
        assertThat(OutboxRecordSize.upperBound(message)).isEqualTo(kafka);
    }

    @Example
    void theDefaultLimitIsTheProducersDefaultMaxRequestSize() {
        assertThat(ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
                .isEqualTo(OutboxRecordSize.KAFKA_DEFAULT_MAX_REQUEST_SIZE);
    }

    @Example
    void headersAreTheCloudEventsSetInOrderThenTheExtraOnes() {
        var extra = new LinkedHashMap<String, String>();
        extra.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        extra.put("x-correlation-id", "abc");
        OutboxMessage message = new OutboxMessage(UUID.fromString("0b7d1e2f-5a6c-4d3b-8e9f-a1b2c3d4e5f6"), "order",
                "k", "order.created", "/s", "application/json", Instant.parse("2026-11-23T12:00:00.123456Z"),
                new byte[0], extra);
        Header[] sent = PUBLISHER.record(message).headers().toArray();
        List<String> names = List.of(sent).stream().map(Header::key).toList();
        assertThat(names.subList(0, 6)).containsExactly("ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time",
                "content-type");
        // The extra headers follow, in no particular order (OutboxMessage keeps them as an unordered map).
        assertThat(names.subList(6, names.size())).containsExactlyInAnyOrder("traceparent", "x-correlation-id");
        assertThat(new String(sent[4].value())).isEqualTo("2026-11-23T12:00:00.123456Z");
    }

    @Provide
    Arbitrary<OutboxMessage> messages() {
        // Lengths around every varint width step (63/64, 8191/8192, 1048575/1048576 after zig-zag) and in between.
        Arbitrary<Integer> payloadLength = Arbitraries.oneOf(
                Arbitraries.of(0, 63, 64, 65, 8191, 8192, 8193, 1_048_575, 1_048_576, 1_048_577),
                Arbitraries.integers().between(0, 20_000));
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> headerValue = Arbitraries.oneOf(text,
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(8_000).ofMaxLength(8_300));
        Arbitrary<Map<String, String>> extra = Arbitraries.maps(text.filter(s -> !s.isEmpty()), headerValue)
                .ofMaxSize(70);
        return Combinators.combine(text, text, text, payloadLength, extra, Arbitraries.longs().between(0, 4_102_444_800L),
                Arbitraries.integers().between(0, 999_999_999)).as((aggregate, type, source, length, headers, seconds, nanos) ->
                new OutboxMessage(UUID.randomUUID(), "t", aggregate, type.isEmpty() ? "t" : type, source,
                        "application/json", Instant.ofEpochSecond(seconds, nanos), new byte[length], headers));
    }
}
