package com.example.cancel;

import static com.example.cancel.CancelRecords.cancel;
import static com.example.cancel.CancelRecords.deadLetter;
import static com.example.cancel.CancelRecords.topic;
import static com.example.cancel.CancelRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reviewer's hostile records: each ends applied, a no-op, a duplicate of itself, or dead-lettered; stored exactly. */
class HostileConsumerReviewTest {

    static CancelConsumerFunction function;
    static CancelBatchProcessor processor;

    @BeforeAll
    static void start() {
        function = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    static BatchResult run(EsmBatch batch) {
        return processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
    }

    @Test
    void oddHeaderNamesNeverMakeARecordTransient() {
        String topic = topic("hostile-");
        var batch = EsmBatch.selfManaged("k:9092");
        List<String> names = List.of("\ud800", "\u0000", "", "n".repeat(40_000), "\udfff\ud800", "ce_id\u0000");
        long offset = 1;
        for (String name : names) {
            // poison (not JSON), unknown order, and a real cancellation, each with the odd header name
            batch.add(topic, 0, offset++, System.currentTimeMillis(), "CREATE_TIME", null, utf8("{"), List.of(Map.entry(name, utf8("v"))));
            batch.add(topic, 0, offset++, System.currentTimeMillis(), "CREATE_TIME", null, cancel(UUID.randomUUID(), "r"),
                    List.of(Map.entry(name, utf8("v"))));
            batch.add(topic, 0, offset++, System.currentTimeMillis(), "CREATE_TIME", null, cancel(TestOrders.create(), "r"),
                    List.of(Map.entry(name, utf8("v"))));
        }
        BatchResult result = run(batch);
        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result.transientFailures()).isZero();
        assertThat(result.deadLettered()).isEqualTo(2L * names.size());
        assertThat(result.applied()).isEqualTo(names.size());
    }

    /** A header name longer than Jackson's default 50,000-character member-name limit used to fail the whole batch. */
    @Test
    void aHeaderNameOfAnyLengthIsReadAndTheRecordHandled() {
        String topic = topic("hostile-");
        String name = "n".repeat(200_000);
        UUID order = TestOrders.create();
        BatchResult result = run(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, utf8("{"), List.of(Map.entry(name, utf8("v"))))
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(UUID.randomUUID(), "r"), List.of(Map.entry(name, utf8("v"))))
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, cancel(order, "r"), List.of(Map.entry(name, utf8("v")))));
        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result.deadLettered()).isEqualTo(2);
        assertThat(result.applied()).isEqualTo(1);
        assertThat(TestOrders.status(order)).isEqualTo("CANCELLED");
    }

    @Test
    void oddTimestampTypesAndTimestampsNeverMakeARecordTransient() {
        String topic = topic("hostile-");
        var batch = EsmBatch.selfManaged("k:9092");
        long offset = 1;
        for (String type : List.of("\ud800", "\u0000", "x".repeat(100_000))) {
            batch.add(topic, 0, offset++, 1L, type, null, utf8("{"), List.of());
        }
        for (long ts : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 253_402_300_800_000L}) {
            batch.add(topic, 0, offset++, ts, "CREATE_TIME", null, cancel(TestOrders.create(), "r"), List.of());
        }
        BatchResult result = run(batch);
        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result.transientFailures()).isZero();
    }

    /** The order's cancelled_at as PostgreSQL holds it, in epoch microseconds. */
    static long storedEpochMicros(UUID order) {
        return TestDatabase.count("select (extract(epoch from cancelled_at) * 1000000)::bigint from orders where id = ?", order);
    }

    /**
     * A cancellation time cannot be before its order was created or in the future (beyond five minutes of clock
     * skew): years 1 to 9999 used to be stored as the order's cancelledAt and updatedAt; now each such record is
     * dead-lettered as IMPLAUSIBLE_TIME and the order stays CREATED. A time from the order's creation to now is
     * stored as the same instant (bound as OffsetDateTime: java.sql.Timestamp's Julian calendar would shift it).
     */
    @Test
    void anOccurredAtBeforeTheOrderOrInTheFutureIsDeadLetteredAndAPlausibleOneStoredExactly() throws Exception {
        String topic = topic("hostile-");
        var batch = EsmBatch.selfManaged("k:9092");
        List<String> implausible = List.of("0001-01-01T00:00:00Z", "1000-06-15T12:00:00Z", "1582-10-04T23:59:59Z",
                "1900-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "+300000-01-01T00:00:00Z",
                Instant.now().minusSeconds(3_600).toString(), Instant.now().plusSeconds(3_600).toString());
        var orders = new java.util.ArrayList<UUID>();
        long offset = 1;
        for (String time : implausible) {
            UUID order = TestOrders.create();
            orders.add(order);
            batch.add(topic, 0, offset++, System.currentTimeMillis(), "CREATE_TIME", null,
                    utf8("{\"orderId\":\"" + order + "\",\"reason\":\"r\",\"occurredAt\":\"" + time + "\"}"), List.of());
        }
        UUID plausible = TestOrders.create();
        Instant at = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        batch.add(topic, 0, offset, System.currentTimeMillis(), "CREATE_TIME", null,
                utf8("{\"orderId\":\"" + plausible + "\",\"occurredAt\":\"" + at + "\"}"), List.of());
        BatchResult result = run(batch);
        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result.deadLettered()).isEqualTo(implausible.size());
        assertThat(result.applied()).isOne();
        for (int i = 0; i < implausible.size(); i++) {
            assertThat(TestOrders.status(orders.get(i))).as(implausible.get(i)).isEqualTo("CREATED");
            deadLetter(function.getApplicationContext().getBean(JsonMapper.class), topic, 0, i + 1, "IMPLAUSIBLE_TIME");
        }
        assertThat(TestOrders.status(plausible)).isEqualTo("CANCELLED");
        assertThat(storedEpochMicros(plausible)).isEqualTo(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000);
        assertThat(run(batch).duplicates()).as("a redelivery").isEqualTo(implausible.size() + 1);
    }
}
