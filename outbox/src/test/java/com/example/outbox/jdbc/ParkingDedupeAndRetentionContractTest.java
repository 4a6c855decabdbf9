package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.Inbox;
import com.example.outbox.OutboxMessage;
import com.example.outbox.ParkedEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parking (list and requeue), the inbox's dedupe, and retention's batched deletes, against real PostgreSQL in a
 * database of their own. Written to kill the mutants PIT found surviving (docs/benchmarks.md).
 */
class ParkingDedupeAndRetentionContractTest {

    private static final byte[] FP = {1, 2, 3};

    static DataSource dataSource;

    @BeforeAll
    static void database() throws SQLException {
        dataSource = IsolatedOutboxDatabase.create();
    }

    @BeforeEach
    void empty() throws SQLException {
        execute("delete from outbox_message");
        execute("delete from outbox_published");
        execute("delete from inbox_message");
    }

    @Test
    void listShowsParkedRowsOnlyInIdOrderUpToTheLimitWithEveryField() throws Exception {
        var first = append("a");
        var second = append("b");
        append("c");
        var pending = append("d");
        execute("update outbox_message set status = 'PARKED', attempts = 5, last_error = 'too large'"
                + " where message_id <> '" + pending.messageId() + "'");
        var parked = new JdbcParkedEvents(dataSource).list(2);
        assertThat(parked).extracting(ParkedEvent::messageId).containsExactly(first.messageId(), second.messageId());
        ParkedEvent head = parked.get(0);
        assertThat(head.id()).isPositive().isLessThan(parked.get(1).id());
        assertThat(head.aggregateId()).isEqualTo("a");
        assertThat(head.eventType()).isEqualTo("test.happened");
        assertThat(head.attempts()).isEqualTo(5);
        assertThat(head.lastError()).isEqualTo("too large");
        assertThat(head.createdAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
    }

    @Test
    void requeueResetsOneParkedRowAndIgnoresPendingOnes() throws Exception {
        var parked = append("a");
        var pending = append("b");
        execute("update outbox_message set status = 'PARKED', attempts = 5, available_at = now() + interval '1 hour'"
                + " where message_id = '" + parked.messageId() + "'");
        var events = new JdbcParkedEvents(dataSource);
        long parkedId = events.list(10).get(0).id();
        assertThat(events.requeue(parkedId)).isOne();
        assertThat(events.requeue(parkedId)).as("no longer parked").isZero();
        assertThat(events.requeue(idOf(pending))).isZero();
        assertThat(query("select status || ' ' || attempts || ' ' || (available_at <= now()) from outbox_message"
                + " where message_id = '" + parked.messageId() + "'")).isEqualTo("PENDING 0 true");
    }

    @Test
    void requeueAllCountsTheRowsItReleased() throws Exception {
        append("a");
        append("b");
        append("c");
        execute("update outbox_message set status = 'PARKED', attempts = 3 where aggregate_id in ('a', 'b')");
        var events = new JdbcParkedEvents(dataSource);
        assertThat(events.requeueAll()).isEqualTo(2);
        assertThat(events.list(10)).isEmpty();
        assertThat(events.requeueAll()).isZero();
    }

    @Test
    void inboxAcceptsAKeyOncePerConsumer() throws Exception {
        var inbox = new JdbcInbox();
        String key = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.receive(c, "consumer-a", key, FP)).isEqualTo(Inbox.Delivery.FIRST);
            assertThat(inbox.receive(c, "consumer-a", key, FP)).isEqualTo(Inbox.Delivery.DUPLICATE);
            assertThat(inbox.receive(c, "consumer-b", key, FP)).as("another consumer's inbox").isEqualTo(Inbox.Delivery.FIRST);
            c.commit();
            assertThat(inbox.receive(c, "consumer-a", key, FP)).isEqualTo(Inbox.Delivery.DUPLICATE);
            c.commit();
        }
    }

    @Test
    void inboxRefusesAnAutoCommitConnection() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertThatThrownBy(() -> new JdbcInbox().receive(c, "consumer-a", "k", FP))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(query("select count(*)::text from inbox_message")).isEqualTo("0");
    }

    @Test
    void retentionDeletesOnlyOldEntriesInBatchesUntilNoneAreLeft() throws Exception {
        publishedRows(5, "2 hours");
        publishedRows(2, "1 second");
        var retention = new JdbcOutboxRetention(dataSource);
        assertThat(retention.deletePublishedOlderThan(Duration.ofHours(1), 2, Duration.ofSeconds(30))).isEqualTo(5);
        assertThat(query("select count(*)::text from outbox_published")).isEqualTo("2");
        assertThat(retention.deletePublishedOlderThan(Duration.ofHours(1), 2, Duration.ofSeconds(30))).isZero();
    }

    @Test
    void retentionStopsAfterOneBatchWhenItsBudgetIsSpent() throws Exception {
        publishedRows(5, "2 hours");
        var retention = new JdbcOutboxRetention(dataSource);
        assertThat(retention.deletePublishedOlderThan(Duration.ofHours(1), 2, Duration.ZERO)).isEqualTo(2);
        assertThat(retention.deletePublishedOlderThan(Duration.ofHours(1), 10, Duration.ZERO)).isEqualTo(3);
    }

    @Test
    void inboxRetentionDeletesOnlyOldEntries() throws Exception {
        execute("insert into inbox_message (consumer, message_key, received_at)"
                + " select 'c', 'old-' || g, now() - interval '3 days' from generate_series(1, 3) g");
        execute("insert into inbox_message (consumer, message_key) values ('c', 'new')");
        var retention = new JdbcInboxRetention(dataSource);
        assertThat(retention.deleteOlderThan("c", Duration.ofDays(1), 2, Duration.ofSeconds(30))).isEqualTo(3);
        assertThat(query("select string_agg(message_key, ',') from inbox_message")).isEqualTo("new");
    }

    private static void publishedRows(int n, String age) throws SQLException {
        execute("insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at, published_at)"
                + " select nextval('pit_ids'), gen_random_uuid(), 't', 'a' || g, 'e', now(), now() - interval '" + age + "'"
                + " from generate_series(1, " + n + ") g");
    }

    private static long idOf(OutboxMessage m) throws SQLException {
        return Long.parseLong(query("select id::text from outbox_message where message_id = '" + m.messageId() + "'"));
    }

    private static OutboxMessage append(String aggregateId) throws SQLException {
        var m = OutboxMessage.json(UUID.randomUUID(), "test", aggregateId, "test.happened", "/test", Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, m);
            c.commit();
        }
        return m;
    }

    private static void execute(String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("create sequence if not exists pit_ids");
            s.execute(sql);
        }
    }

    private static String query(String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
