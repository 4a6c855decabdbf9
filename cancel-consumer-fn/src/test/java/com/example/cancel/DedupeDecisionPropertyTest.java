package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.cancel.esm.EsmRecord;
import com.example.order.app.Delivery;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.Transactions;
import com.example.order.testing.SharedOrderDatabase;
import com.example.outbox.InboxFingerprint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * ADR 0027: the inbox's decision for a second record after a first, through the consumer's real path (the reader's
 * key, the order store's unit of work, {@code JdbcInbox} on the real PostgreSQL, each pair in a transaction that
 * is rolled back). Records come from small pools, so ids, values and headers collide often. Fixed seed (jqwik
 * prints it in every property's report).
 * <ul>
 *   <li>Two records that differ in value or in a CloudEvents header are never a duplicate of each other: the
 *       second is first (another key) or key-reused (dead-lettered), never skipped.</li>
 *   <li>A copy (same value and CloudEvents headers; other offset, timestamp, record key, trace headers, header order
 *       across names) of a record with an event id is always a duplicate; so is any copy at the same position.</li>
 * </ul>
 */
class DedupeDecisionPropertyTest {

    static final String SEED = "20261130";
    static final String TOPIC = "order.cancelled";

    static Transactions transactions;
    final CancellationReader reader = new CancellationReader();

    record Header(String name, String value) {
    }

    record Rec(long offset, String value, List<Header> headers) {
    }

    @BeforeContainer
    static void open() {
        transactions = SharedOrderDatabase.orderStore().transactions("/test");
    }

    @AfterContainer
    static void close() {
        transactions = null;
    }

    @Property(tries = 200, seed = SEED)
    void differentContentIsNeverADuplicate(@ForAll("records") Rec first, @ForAll("records") Rec second) {
        Assume.that(!first.value().equals(second.value()) || !eventHeaders(first).equals(eventHeaders(second)));
        Delivery decision = secondAfterFirst(record(first), record(second));
        assertThat(decision).isNotInstanceOf(Delivery.Duplicate.class);
    }

    @Property(tries = 200, seed = SEED)
    void aCopyOfARecordWithAnEventIdIsAlwaysADuplicate(@ForAll("records") Rec first, @ForAll("noise") List<Header> noise,
            @ForAll long otherOffset) {
        Assume.that(first.headers().stream().anyMatch(h -> h.name().equals("ce_id")) || first.value().contains("eventId"));
        var headers = new ArrayList<>(first.headers().stream().filter(h -> InboxFingerprint.counts(h.name())).toList());
        headers.sort(Comparator.comparing(Header::name).reversed()); // stable: same-named headers keep their order
        headers.addAll(0, noise);
        Rec copy = new Rec(Math.abs(otherOffset % 1_000_000), first.value(), headers);
        assertThat(secondAfterFirst(record(first), record(copy))).isEqualTo(new Delivery.Duplicate(true));
    }

    @Property(tries = 200, seed = SEED)
    void aCopyAtTheSamePositionIsAlwaysADuplicate(@ForAll("records") Rec first) {
        assertThat(secondAfterFirst(record(first), record(first))).isEqualTo(new Delivery.Duplicate(true));
    }

    /** Records the first in a fresh consumer's inbox, then asks about the second; rolls both back. */
    private Delivery secondAfterFirst(EsmRecord first, EsmRecord second) {
        String consumer = "prop-" + UUID.randomUUID();
        String firstKey = reader.read(first).inboxKey();
        String secondKey = reader.read(second).inboxKey();
        Delivery[] answer = new Delivery[1];
        try {
            transactions.inTransaction(unit -> {
                assertThat(unit.receive(consumer, firstKey, first.toReceivedMessage())).isEqualTo(new Delivery.First());
                answer[0] = unit.receive(consumer, secondKey, second.toReceivedMessage());
                throw new RollBack();
            });
        } catch (RollBack expected) {
            // nothing stays in the inbox
        }
        return answer[0];
    }

    private static final class RollBack extends RuntimeException {
        RollBack() {
            super(null, null, false, false);
        }
    }

    private static List<String> eventHeaders(Rec r) {
        return r.headers().stream().filter(h -> InboxFingerprint.counts(h.name()))
                .sorted(Comparator.comparing(Header::name)).map(h -> h.name() + "=" + h.value()).toList();
    }

    private static EsmRecord record(Rec r) {
        var headers = r.headers().stream()
                .map(h -> new ReceivedMessage.Header(h.name(), h.value().getBytes(StandardCharsets.UTF_8))).toList();
        return new EsmRecord(TOPIC + "-0", TOPIC, 0, r.offset(), r.offset() + 1, "CREATE_TIME",
                ("k" + r.offset()).getBytes(StandardCharsets.UTF_8), r.value().getBytes(StandardCharsets.UTF_8),
                headers, null);
    }

    @Provide
    Arbitrary<Rec> records() {
        Arbitrary<String> value = Arbitraries.of(
                "{\"orderId\":\"0b7d1e2f-5a6c-4d3b-8e9f-a1b2c3d4e5f6\"}",
                "{\"orderId\":\"1c8e2f30-6b7d-4e4c-9f00-b2c3d4e5f6a7\"}",
                "{\"orderId\":\"0b7d1e2f-5a6c-4d3b-8e9f-a1b2c3d4e5f6\",\"reason\":\"r\"}",
                "{\"eventId\":\"e-1\",\"orderId\":\"0b7d1e2f-5a6c-4d3b-8e9f-a1b2c3d4e5f6\"}",
                "{\"eventId\":\"e-1\",\"orderId\":\"1c8e2f30-6b7d-4e4c-9f00-b2c3d4e5f6a7\"}",
                "{\"eventId\":\"dup-1\",\"orderId\":\"1c8e2f30-6b7d-4e4c-9f00-b2c3d4e5f6a7\"}",
                "not json", "{");
        Arbitrary<Header> header = Arbitraries.oneOf(
                Arbitraries.of("dup-1", "dup-2").map(v -> new Header("ce_id", v)),
                Arbitraries.of("/checkout", "/replay").map(v -> new Header("ce_source", v)),
                Arbitraries.of("2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z").map(v -> new Header("ce_time", v)),
                Arbitraries.of("application/json", "application/cloudevents+json").map(v -> new Header("content-type", v)),
                Arbitraries.of("order.cancelled").map(v -> new Header("ce_type", v)));
        // Disagreeing ce_id or ce_source headers leave a record without a single identity: poison keyed by its
        // position (CancellationReaderClassificationTest), so not a case for "a copy elsewhere is a duplicate".
        Arbitrary<List<Header>> headers = header.list().ofMaxSize(4)
                .filter(hs -> distinctValues(hs, "ce_id") <= 1 && distinctValues(hs, "ce_source") <= 1);
        return Combinators.combine(Arbitraries.longs().between(0, 3), value, headers).as(Rec::new);
    }

    private static long distinctValues(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.name().equals(name)).map(Header::value).distinct().count();
    }

    /** Headers that are not part of the event: trace context, correlation, anything else. */
    @Provide
    Arbitrary<List<Header>> noise() {
        return Combinators.combine(
                Arbitraries.of("traceparent", "tracestate", "x-correlation-id", "ce_traceparent", "other"),
                Arbitraries.of("a", "b", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .as(Header::new).list().ofMaxSize(3);
    }
}
