package com.example.order.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.contracts.EventContracts;
import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.TraceContext;
import com.example.order.events.DeadLetterJson;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRecordSize;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The size decision of {@link OutboxMessages#of(DeadLetter, String, int)}: a dead letter is complete exactly when its
 * record fits the limit; otherwise it leaves out the value, then the key, then the headers, stopping at the first
 * form that fits; whatever it leaves out is described exactly (sizes, SHA-256) and the rest is byte for byte; and
 * it always conforms to the order.cancelled.dlq contract. Fixed seed (jqwik prints it in the report).
 */
class DeadLetterSizePropertyTest {

    static final String SEED = "20261130";
    static final String SOURCE = "/order-service/cancel-consumer-fn";
    static final EventContracts CONTRACTS = new EventContracts();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Property(tries = 200, seed = SEED)
    @StatisticsReport(format = Histogram.class)
    void completeIfItFitsElseTheFirstOmissionThatFitsAndAlwaysPublishable(@ForAll("letters") DeadLetter letter,
            @ForAll("limits") int limit) throws Exception {
        OutboxMessage chosen = OutboxMessages.of(letter, SOURCE, limit);
        OutboxMessage complete = OutboxMessages.of(letter, SOURCE, Integer.MAX_VALUE);
        long completeBytes = OutboxRecordSize.upperBound(complete);
        long bound = OutboxRecordSize.publishableBound(limit);

        assertThat(OutboxRecordSize.upperBound(chosen)).as("publishable under the limit").isLessThanOrEqualTo(bound);
        CONTRACTS.requireValid("order.cancelled.dlq", chosen.payload(), EventContracts.headerMap(chosen.recordHeaders()));
        JsonNode json = JSON.readTree(chosen.payload());
        ReceivedMessage original = letter.message();
        String form = json.has("payloadOmitted")
                ? "without " + json.get("payloadOmitted").get("parts").toString() : "complete";
        Statistics.collect(form);
        // Every form of the decision is exercised by the generated letters, not just the easy one.
        Statistics.coverage(coverage -> {
            coverage.check("complete").count(c -> c >= 20);
            coverage.check("without [\"value\"]").count(c -> c >= 5);
            coverage.check("without [\"value\",\"key\"]").count(c -> c >= 5);
            coverage.check("without [\"value\",\"key\",\"headers\"]").count(c -> c >= 5);
        });
        if (completeBytes <= bound) {
            assertThat(chosen.payload()).isEqualTo(complete.payload());
            assertThat(json.has("payloadOmitted")).isFalse();
            assertThat(chosen.extraHeaders()).doesNotContainKey(OutboxMessages.PAYLOAD_OMITTED_HEADER);
            return;
        }
        JsonNode omitted = json.get("payloadOmitted");
        List<String> parts = new ArrayList<>();
        omitted.get("parts").forEach(p -> parts.add(p.asString()));
        List<DeadLetterJson.Part> order = List.of(DeadLetterJson.Part.values());
        assertThat(parts).isEqualTo(order.subList(0, parts.size()).stream().map(DeadLetterJson.Part::field).toList());
        if (parts.size() > 1) {
            var oneFewer = new DeadLetterJson.Omission(order.subList(0, parts.size() - 1), bound, completeBytes);
            assertThat(OutboxRecordSize.upperBound(OutboxMessages.of(letter, SOURCE, oneFewer)))
                    .as("leaving out one part fewer would not have fit").isGreaterThan(bound);
        }
        assertThat(chosen.extraHeaders().get(OutboxMessages.PAYLOAD_OMITTED_HEADER)).isEqualTo(String.join(",", parts));
        assertThat(omitted.get("reason").asString()).isEqualTo("TOO_LARGE");
        assertThat(omitted.get("limitBytes").asLong()).isEqualTo(bound);
        assertThat(omitted.get("completeRecordBytes").asLong()).isEqualTo(completeBytes);

        JsonNode facts = omitted.get("original");
        assertSizeAndDigest(facts, "key", original.key());
        assertSizeAndDigest(facts, "value", original.value());
        long headerBytes = original.headers().stream()
                .mapToLong(h -> h.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + (h.value() == null ? 0 : h.value().length)).sum();
        assertThat(facts.get("headerCount").asInt()).isEqualTo(original.headers().size());
        assertThat(facts.get("headerBytes").asLong()).isEqualTo(headerBytes);
        assertThat(facts.get("sizeBytes").asLong()).isEqualTo(length(original.key()) + length(original.value()) + headerBytes);

        assertThat(bytes(json.get("value"))).isEqualTo(parts.contains("value") ? null : original.value());
        assertThat(bytes(json.get("key"))).isEqualTo(parts.contains("key") ? null : original.key());
        assertThat(json.get("headers").size()).isEqualTo(parts.contains("headers") ? 0 : original.headers().size());
        // What stays is the same as in the complete dead letter: error, source position, inbox key.
        JsonNode full = JSON.readTree(complete.payload());
        for (String field : List.of("error", "source", "messageKey", "consumer", "deadLetteredAt")) {
            assertThat(json.get(field)).as(field).isEqualTo(full.get(field));
        }
    }

    private static void assertSizeAndDigest(JsonNode facts, String part, byte[] bytes) throws Exception {
        if (bytes == null) {
            assertThat(facts.get(part + "Bytes").isNull()).isTrue();
            assertThat(facts.get(part + "Sha256").isNull()).isTrue();
        } else {
            assertThat(facts.get(part + "Bytes").asLong()).isEqualTo(bytes.length);
            assertThat(facts.get(part + "Sha256").asString())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
    }

    private static byte[] bytes(JsonNode base64) {
        return base64.isNull() ? null : Base64.getDecoder().decode(base64.asString());
    }

    private static long length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.oneOf(Arbitraries.of(OutboxMessages.MIN_DEAD_LETTER_RECORD_BYTES, 100_000, 262_144),
                Arbitraries.integers().between(OutboxMessages.MIN_DEAD_LETTER_RECORD_BYTES, 300_000));
    }

    @Provide
    Arbitrary<DeadLetter> letters() {
        // Sizes, not contents, decide: random bytes (seeded from the generated seed) keep big parts cheap to make.
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 200)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(30_000, 260_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(-1))); // -1: none (null)
        Arbitrary<ReceivedMessage.Header> header = Combinators.combine(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(6, 0), net.jqwik.api.Tuple.of(1, 70_000)),
                size, Arbitraries.longs())
                .as((name, padding, valueSize, seed) -> new ReceivedMessage.Header(name + "x".repeat(padding),
                        randomBytes(valueSize, seed)));
        Arbitrary<ReceivedMessage> message = Combinators.combine(size, size, header.list().ofMaxSize(4),
                        Arbitraries.integers().between(0, 1000), Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.longs())
                .as((keySize, valueSize, headers, partition, offset, seed) -> new ReceivedMessage("order.cancelled",
                        partition, offset, 1_700_000_000_000L, "CREATE_TIME", randomBytes(keySize, seed),
                        randomBytes(valueSize, seed + 1), headers));
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(256);
        return Combinators.combine(message, Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(512),
                        Arbitraries.of(DeadLetter.ErrorKind.class),
                        Arbitraries.strings().all().ofMaxLength(2_000), text, text)
                .as((m, key, kind, detail, traceparent, correlation) -> new DeadLetter("cancel-consumer-fn",
                        "event:" + key, m, kind, detail, Instant.parse("2026-11-23T12:00:00.123456Z"),
                        new TraceContext(traceparent, correlation)));
    }

    private static byte[] randomBytes(int size, long seed) {
        if (size < 0) {
            return null;
        }
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
