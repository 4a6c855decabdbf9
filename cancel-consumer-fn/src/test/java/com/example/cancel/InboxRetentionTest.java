package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.jdbc.JdbcInboxRetention;
import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The consumer trims its own inbox (ADR 0026): after a batch, at most once per interval per execution environment,
 * one bounded pass over its own entries older than the retention age; and it refuses to start with a retention age
 * that does not exceed the dedupe horizon.
 */
class InboxRetentionTest {

    @Test
    void afterABatchTheHandlerDeletesOnlyItsOwnOldEntriesBoundedAndAtMostOncePerInterval() {
        String consumer = "retention-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        entries(consumer, "old", 12, "40 days");
        entries(consumer, "recent", 3, "20 days");
        entries(other, "old", 5, "40 days");
        var properties = TestDatabase.properties();
        properties.put("cancel-consumer.consumer-name", consumer);
        properties.put("cancel-consumer.inbox-retention.batch-size", "5");
        properties.put("cancel-consumer.inbox-retention.budget", "0s"); // exactly one statement per pass
        try (var function = new CancelConsumerFunction(ApplicationContext.run(properties))) {
            UUID orderId = TestOrders.create();
            assertThat(LambdaRuntime.invoke(function, kcatBatch(orderId, 0))).isEqualTo("{\"batchItemFailures\":[]}");
            assertThat(TestOrders.status(orderId)).isEqualTo("CANCELLED");
            assertThat(count(consumer, "old-%")).as("one bounded statement: 5 of 12 deleted").isEqualTo(7);

            assertThat(LambdaRuntime.invoke(function, kcatBatch(TestOrders.create(), 1)))
                    .isEqualTo("{\"batchItemFailures\":[]}");
            assertThat(count(consumer, "old-%")).as("no second pass within the interval").isEqualTo(7);
        }
        assertThat(count(consumer, "recent-%")).as("entries younger than the age keep deduplicating").isEqualTo(3);
        assertThat(count(consumer, "offset:%")).as("this batch's own entries").isEqualTo(2);
        assertThat(count(other, "old-%")).as("another consumer's entries are its own to trim").isEqualTo(5);
    }

    /**
     * A pass that fails (here: the function's database role may not delete inbox entries, a real PostgreSQL
     * {@code 42501}) fails no batch, but is counted in the EMF line Terraform alarms on, not only logged.
     */
    @Test
    void aFailedPassIsCountedInTheInboxRetentionFailuresMetric() throws Exception {
        String consumer = "retention-denied-" + UUID.randomUUID();
        String role = "no_inbox_delete_" + UUID.randomUUID().toString().replace("-", "");
        String namespace = "Test/InboxRetentionFailure/" + UUID.randomUUID();
        entries(consumer, "old", 4, "40 days");
        sql("create role " + role + " login password 'denied'",
                "grant select, insert, update, delete on all tables in schema public to " + role,
                "grant usage on all sequences in schema public to " + role,
                "revoke delete on inbox_message from " + role);
        var properties = TestDatabase.properties();
        properties.put("datasources.default.username", role);
        properties.put("datasources.default.password", "denied");
        properties.put("cancel-consumer.consumer-name", consumer);
        properties.put("cancel-consumer.metrics-namespace", namespace);
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        UUID orderId = TestOrders.create();
        String response;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (var function = new CancelConsumerFunction(ApplicationContext.run(properties))) {
            response = LambdaRuntime.invoke(function, kcatBatch(orderId, 0));
        } finally {
            System.setOut(original);
            sql("drop owned by " + role, "drop role " + role);
        }
        assertThat(response).as("the batch itself succeeded").isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(TestOrders.status(orderId)).isEqualTo("CANCELLED");
        assertThat(count(consumer, "old-%")).as("nothing could be deleted").isEqualTo(4);
        List<String> retentionLines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("\"_aws\"") && line.contains(namespace)
                        && line.contains(CancelMetrics.INBOX_RETENTION_FAILURES))
                .toList();
        assertThat(retentionLines).hasSize(1);
        assertThat(retentionLines.get(0)).contains("\"InboxRetentionFailures\":1", "\"InboxEntriesDeleted\":0",
                "\"Service\":\"cancel-consumer\"", "permission denied");
    }

    @Test
    void aCompletedPassReportsItsDeletionsAndNoFailure() {
        String consumer = "retention-ok-" + UUID.randomUUID();
        String namespace = "Test/InboxRetentionPass/" + UUID.randomUUID();
        entries(consumer, "old", 3, "40 days");
        var retention = retention(consumer, namespace, 100, Duration.ofSeconds(1));
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(retention.afterBatch(new BatchResult(1, 1, 0, 0, 0, 0, List.of()), () -> 60_000)).isEqualTo(3);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(namespace)))
                .singleElement().asString().contains("\"InboxEntriesDeleted\":3", "\"InboxRetentionFailures\":0");
    }

    /**
     * A pass that fails part-way (PostgreSQL refuses, from a trigger, to delete one entry of its second statement)
     * reports the entries its first statement deleted and committed, with the failure, instead of 0.
     */
    @Test
    void aPassFailingPartWayReportsWhatItDeletedWithTheFailure() {
        String consumer = "retention-partial-" + UUID.randomUUID();
        String namespace = "Test/InboxRetentionPartial/" + UUID.randomUUID();
        // 12 old entries, oldest first by n; the 8th (in the second statement of 5) refuses to be deleted.
        sql(("insert into inbox_message (consumer, message_key, received_at) select '%s',"
                        + " case when n = 8 then 'refuse-delete' else 'old-' || n end,"
                        + " now() - interval '40 days' + n * interval '1 second' from generate_series(1, 12) n")
                        .formatted(consumer),
                """
                create or replace function refuse_marked_inbox_delete() returns trigger language plpgsql as $$
                begin
                  if old.consumer = '%s' and old.message_key = 'refuse-delete' then
                    raise exception 'injected failure deleting an inbox entry';
                  end if;
                  return old;
                end $$""".formatted(consumer),
                "create trigger refuse_marked_inbox_delete before delete on inbox_message for each row"
                        + " execute function refuse_marked_inbox_delete()");
        var retention = retention(consumer, namespace, 5, Duration.ofSeconds(5));
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(retention.afterBatch(new BatchResult(1, 1, 0, 0, 0, 0, List.of()), () -> 60_000))
                    .as("the pass failed").isEqualTo(-1);
        } finally {
            System.setOut(original);
            sql("drop trigger refuse_marked_inbox_delete on inbox_message", "drop function refuse_marked_inbox_delete()");
        }
        assertThat(count(consumer, "old-%")).as("5 deleted, 6 left besides the refused one").isEqualTo(6);
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(namespace)))
                .singleElement().asString().contains("\"InboxEntriesDeleted\":5", "\"InboxRetentionFailures\":1",
                        "injected failure");
    }

    /** ADR 0027: entries with a fingerprint, conflict entries and entries from before fingerprints age out alike. */
    @Test
    void retentionDeletesFingerprintedConflictAndUnfingerprintedEntriesAlike() {
        String consumer = "retention-fp-" + UUID.randomUUID();
        var properties = TestDatabase.properties();
        properties.put("cancel-consumer.consumer-name", consumer);
        UUID a = TestOrders.create();
        UUID b = TestOrders.create();
        byte[] ceId = ("reuse-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String reused = EsmBatch.selfManaged("localhost:9092")
                .add("order.cancelled.retention-fp", 0, 0, System.currentTimeMillis(), "CREATE_TIME", null,
                        ("{\"orderId\":\"" + a + "\"}").getBytes(StandardCharsets.UTF_8), List.of(Map.entry("ce_id", ceId)))
                .add("order.cancelled.retention-fp", 0, 1, System.currentTimeMillis(), "CREATE_TIME", null,
                        ("{\"orderId\":\"" + b + "\"}").getBytes(StandardCharsets.UTF_8), List.of(Map.entry("ce_id", ceId)))
                .toJson();
        try (var function = new CancelConsumerFunction(ApplicationContext.run(properties))) {
            assertThat(LambdaRuntime.invoke(function, reused)).isEqualTo("{\"batchItemFailures\":[]}");
        }
        assertThat(TestDatabase.count("select count(*) from inbox_message where consumer = ? and fingerprint is not null"
                + " and (message_key like 'event:reuse-%' or message_key like 'inbox.conflict-sha256:%')", consumer))
                .as("the applied message and the reused id's conflict entry, both with fingerprints").isEqualTo(2);
        TestDatabase.count("with aged as (update inbox_message set received_at = now() - interval '40 days'"
                + " where consumer = ? returning 1) select count(*) from aged", consumer);
        entries(consumer, "legacy", 2, "40 days"); // NULL fingerprint, as written before V5

        // A new execution environment: its first batch runs a pass.
        try (var function = new CancelConsumerFunction(ApplicationContext.run(properties))) {
            assertThat(LambdaRuntime.invoke(function, kcatBatch(TestOrders.create(), 7)))
                    .isEqualTo("{\"batchItemFailures\":[]}");
        }
        assertThat(count(consumer, "%")).as("only this batch's own entry is left").isOne();
        assertThat(count(consumer, "offset:%")).isOne();
    }

    @Test
    void aPassIsDueOncePerIntervalAndSkippedAfterATransientFailureOrWithLittleTimeLeft() {
        String consumer = "due-" + UUID.randomUUID();
        var settings = new InboxRetentionSettings(Duration.ofDays(30), Duration.ofDays(7), Duration.ofMinutes(1), 100,
                Duration.ofSeconds(1));
        var now = new AtomicLong();
        var retention = new ConsumerInboxRetention(new JdbcInboxRetention(TestDatabase.dataSource()), settings,
                consumer, new CancelMetrics(new CancelConsumerConfiguration(consumer, "/test",
                        CancelBatchProcessor.FailureReporting.PARTIAL_BATCH, 3_000, "Test/InboxRetention", 1_048_576)), now::get);
        BatchResult clean = new BatchResult(1, 1, 0, 0, 0, 0, List.of());
        BatchResult withTransientFailure = new BatchResult(1, 0, 0, 0, 0, 1, List.of(
                new KafkaBatchResponse.BatchItemFailure(new KafkaBatchResponse.ItemIdentifier("t-0", 3))));

        assertThat(retention.afterBatch(withTransientFailure, () -> 60_000)).as("database likely down").isEqualTo(-1);
        assertThat(retention.afterBatch(clean, () -> 2_000)).as("less than twice the budget left").isEqualTo(-1);
        entries(consumer, "old", 2, "31 days");
        assertThat(retention.afterBatch(clean, () -> 60_000)).isEqualTo(2);
        entries(consumer, "old-again", 2, "31 days");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(retention.afterBatch(clean, () -> 60_000)).as("within the interval").isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(retention.afterBatch(clean, () -> 60_000)).as("the interval has passed").isEqualTo(2);
    }

    @Test
    void refusesToStartUnlessTheRetentionAgeExceedsTheDedupeHorizon() {
        var properties = TestDatabase.properties();
        properties.put("cancel-consumer.inbox-retention.age", "7d");
        properties.put("cancel-consumer.inbox-retention.dedupe-horizon", "7d");
        try (var context = ApplicationContext.run(properties)) {
            assertThatThrownBy(() -> new CancelConsumerFunction(context))
                    .hasStackTraceContaining("must exceed the dedupe horizon");
        }
    }

    private static String kcatBatch(UUID orderId, long offset) {
        return EsmBatch.selfManaged("localhost:9092")
                .add("order.cancelled.retention", 0, offset, System.currentTimeMillis(), "CREATE_TIME", null,
                        ("{\"orderId\":\"" + orderId + "\",\"reason\":\"r\"}").getBytes(StandardCharsets.UTF_8), List.of())
                .toJson();
    }

    private static void entries(String consumer, String prefix, int n, String age) {
        try (var c = TestDatabase.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate(("insert into inbox_message (consumer, message_key, received_at) select '%s', '%s-' || n,"
                    + " now() - interval '%s' from generate_series(1, %d) n").formatted(consumer, prefix, age, n));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String... statements) {
        try (var c = TestDatabase.dataSource().getConnection(); var s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String consumer, String keyPattern) {
        return TestDatabase.count("select count(*) from inbox_message where consumer = ? and message_key like ?",
                consumer, keyPattern);
    }

    /** The consumer's retention pass over the shared database, 30-day age, its metrics in {@code namespace}. */
    private static ConsumerInboxRetention retention(String consumer, String namespace, int batchSize, Duration budget) {
        return new ConsumerInboxRetention(new JdbcInboxRetention(TestDatabase.dataSource()),
                new InboxRetentionSettings(Duration.ofDays(30), Duration.ofDays(7), Duration.ofMinutes(1), batchSize,
                        budget), consumer,
                new CancelMetrics(new CancelConsumerConfiguration(consumer, "/test",
                        CancelBatchProcessor.FailureReporting.PARTIAL_BATCH, 3_000, namespace, 1_048_576)), System::nanoTime);
    }

}
