package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRelay;
import com.example.outbox.OutboxTables;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.SharedServers;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rows whose content cannot become a message (written by hand, by another writer, by a bad migration): the claim
 * parks each at once with its reason and carries on, so only its own aggregate waits. Before this, one such row made
 * every claim throw and stopped the relay for every aggregate.
 */
class UnreadableOutboxRowTest {

    /** Each way a row can be unreadable although PostgreSQL accepted it, and a word its parking reason must name. */
    private static final Map<String, String[]> UNREADABLE = new LinkedHashMap<>();

    static {
        // {headers, occurred_at, expected in last_error}
        UNREADABLE.put("number-header", new String[] {"{\"x\":1}", "now()", "must be a string"});
        UNREADABLE.put("nested-header", new String[] {"{\"x\":{\"y\":\"z\"}}", "now()", "must be a string"});
        UNREADABLE.put("null-header", new String[] {"{\"x\":null}", "now()", "must be a string"});
        UNREADABLE.put("array", new String[] {"[\"x\"]", "now()", "must be a JSON object"});
        UNREADABLE.put("string", new String[] {"\"x\"", "now()", "must be a JSON object"});
        UNREADABLE.put("json-null", new String[] {"null", "now()", "must be a JSON object"});
        UNREADABLE.put("infinity", new String[] {"{}", "'infinity'", "occurred_at"});
        UNREADABLE.put("minus-infinity", new String[] {"{}", "'-infinity'", "occurred_at"});
        UNREADABLE.put("year-10000", new String[] {"{}", "'10000-01-01 00:00:00+00'", "occurred_at"});
        UNREADABLE.put("before-christ", new String[] {"{}", "'0044-03-15 12:00:00+00 BC'", "occurred_at"});
    }

    private final JdbcOutboxClaimer claimer =
            new JdbcOutboxClaimer(OutboxTables.dataSource(), RetryPolicy.defaults(), Duration.ofSeconds(30));

    @BeforeEach
    void clear() throws SQLException {
        OutboxTables.clear();
    }

    @Test
    void eachUnreadableRowIsParkedAtOnceWithItsReasonAndOnlyItsOwnAggregateWaits() throws Exception {
        for (var bad : UNREADABLE.entrySet()) {
            insertRaw("bad-" + bad.getKey(), bad.getValue()[0], bad.getValue()[1]);
            OutboxTables.append(OutboxTables.message("bad-" + bad.getKey())); // waits behind the bad row
        }
        OutboxTables.append(OutboxTables.message("good-1"), OutboxTables.message("good-2"));

        try (ClaimedBatch batch = claimer.claim(100)) {
            assertThat(batch.parkedAtClaim()).isEqualTo(UNREADABLE.size());
            assertThat(batch.messages()).as("only the other aggregates; the bad ones wait behind their parked head")
                    .extracting(m -> m.message().aggregateId()).containsExactly("good-1", "good-2");
            batch.complete(batch.messages().stream().map(PublishResult::acked).toList());
        }
        var parked = new JdbcParkedEvents(OutboxTables.dataSource()).list(100);
        assertThat(parked).hasSize(UNREADABLE.size());
        for (var p : parked) {
            String expected = UNREADABLE.get(p.aggregateId().substring("bad-".length()))[2];
            assertThat(p.attempts()).as("parked at its first reading, never retried").isEqualTo(1);
            assertThat(p.lastError()).as(p.aggregateId()).startsWith("unreadable outbox row").contains(expected);
        }
        try (ClaimedBatch batch = claimer.claim(100)) {
            assertThat(batch.messages()).as("the rows behind the parked heads keep waiting, in order").isEmpty();
            assertThat(batch.parkedAtClaim()).isZero();
        }
    }

    @Test
    void aClaimThatMeetsOnlyUnreadableRowsClaimsAgainAndReturnsTheReadableOnesBehindThem() throws Exception {
        insertRaw("bad-1", "[]", "now()");
        insertRaw("bad-2", "{\"x\":true}", "now()");
        OutboxTables.append(OutboxTables.message("good"));

        try (ClaimedBatch batch = claimer.claim(2)) {
            assertThat(batch.parkedAtClaim()).isEqualTo(2);
            assertThat(batch.messages()).extracting(m -> m.message().aggregateId()).containsExactly("good");
        }
    }

    @Test
    void aRepairedAndRequeuedRowIsPublishedBeforeTheRowsOfItsAggregateThatWaited() throws Exception {
        insertRaw("repaired", "{\"traceparent\":7}", "now()");
        OutboxTables.append(OutboxTables.message("repaired"));
        try (ClaimedBatch batch = claimer.claim(100)) {
            assertThat(batch.messages()).isEmpty();
            assertThat(batch.parkedAtClaim()).isEqualTo(1);
        }
        var parked = new JdbcParkedEvents(OutboxTables.dataSource());
        long id = parked.list(1).getFirst().id();
        try (var c = OutboxTables.dataSource().getConnection();
                var s = c.prepareStatement("update outbox_message set headers = '{\"traceparent\":\"7\"}' where id = ?")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
        assertThat(parked.requeue(id)).isEqualTo(1);

        var claimedInOrder = new ArrayList<PendingMessage>();
        for (int i = 0; i < 2; i++) {
            try (ClaimedBatch batch = claimer.claim(100)) {
                claimedInOrder.addAll(batch.messages());
                batch.complete(batch.messages().stream().map(PublishResult::acked).toList());
            }
        }
        assertThat(claimedInOrder).extracting(PendingMessage::id).first().isEqualTo(id);
        assertThat(claimedInOrder.getFirst().message().extraHeaders()).containsEntry("traceparent", "7");
        assertThat(claimedInOrder).hasSize(2);
    }

    @Test
    void theRelayCountsTheUnreadableRowAsParkedAndPublishesTheOthers() throws Exception {
        String topic = "unreadable-row-test-" + UUID.randomUUID();
        SharedServers.kafka().createTopics(1, topic);
        insertRaw("bad", "{\"x\":[]}", "now()");
        try (var c = OutboxTables.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set event_type = '" + topic + "'");
        }
        OutboxTables.append(withTopic("good-1", topic), withTopic("good-2", topic), withTopic("good-3", topic));
        try (var publisher = new KafkaMessagePublisher(Map.of("bootstrap.servers",
                SharedServers.kafka().bootstrapServers()),
                TopicRoutes.eventTypeIsTopic())) {
            var run = new OutboxRelay(claimer, publisher, new RelaySettings(100,
                    Duration.ZERO, Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(1)))
                    .drain(() -> 30_000);
            assertThat(run.parked()).isEqualTo(1);
            assertThat(run.published()).isEqualTo(3);
        }
    }

    private static OutboxMessage withTopic(String aggregateId, String topic) {
        var m = OutboxTables.message(aggregateId);
        return new OutboxMessage(m.messageId(), m.aggregateType(), m.aggregateId(), topic,
                m.source(), m.contentType(), m.occurredAt(), m.payload(), m.extraHeaders());
    }

    /** Inserts past {@code JdbcOutboxWriter}, as a hand-written statement or another writer would. */
    private static void insertRaw(String aggregateId, String headersJson, String occurredAtSql) throws SQLException {
        try (var c = OutboxTables.dataSource().getConnection();
                var s = c.prepareStatement("insert into outbox_message (message_id, aggregate_type, aggregate_id,"
                        + " event_type, source, occurred_at, payload, headers) values (gen_random_uuid(), 'test', ?,"
                        + " 'test.happened', '/tests', " + occurredAtSql + ", '\\x7b7d', ?::jsonb)")) {
            s.setString(1, aggregateId);
            s.setString(2, headersJson);
            s.executeUpdate();
        }
    }

}
