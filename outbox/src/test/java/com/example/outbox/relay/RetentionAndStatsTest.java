package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.jdbc.JdbcOutboxRetention;
import com.example.outbox.jdbc.JdbcOutboxStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionAndStatsTest {

    @Test
    void retentionDeletesOnlyOldPublishedRowsInBoundedBatches() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(2500, 1));
        fixture.append(fixture.interleaved(10, 1));
        try (var c = RelayFixture.dataSource.getConnection(); var s = c.createStatement()) {
            publish(s, 2500, "8 days");
            publish(s, 5, "1 hour");
        }
        var retention = new JdbcOutboxRetention(RelayFixture.dataSource);

        // With no time budget it still does exactly one bounded batch.
        assertThat(retention.deletePublishedOlderThan(Duration.ofDays(7), 1000, Duration.ZERO)).isEqualTo(1000);
        assertThat(fixture.publishedCount()).isEqualTo(1505);

        assertThat(retention.deletePublishedOlderThan(Duration.ofDays(7), 1000, Duration.ofSeconds(30))).isEqualTo(1500);
        assertThat(fixture.publishedCount()).as("recently published rows stay").isEqualTo(5);
        assertThat(fixture.count("status = 'PENDING'")).as("pending rows are never deleted").isEqualTo(5);
    }

    @Test
    void inboxRetentionForgetsOnlyOldEntriesInBoundedBatches() throws Exception {
        String consumer = "retention-test-" + java.util.UUID.randomUUID();
        try (var c = RelayFixture.dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate(("insert into inbox_message (consumer, message_key, received_at) "
                    + "select '%s', 'old-' || n, now() - interval '40 days' from generate_series(1, 30) n").formatted(consumer));
            s.executeUpdate(("insert into inbox_message (consumer, message_key, received_at) "
                    + "select '%s', 'new-' || n, now() - interval '1 day' from generate_series(1, 4) n").formatted(consumer));
        }
        var retention = new JdbcOutboxRetention(RelayFixture.dataSource);

        assertThat(retention.deleteInboxEntriesOlderThan(Duration.ofDays(30), 20, Duration.ZERO)).isEqualTo(20);
        assertThat(retention.deleteInboxEntriesOlderThan(Duration.ofDays(30), 20, Duration.ofSeconds(30))).isEqualTo(10);
        try (var c = RelayFixture.dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) filter (where message_key like 'new-%'), count(*) from inbox_message"
                        + " where consumer = '%s'".formatted(consumer))) {
            rs.next();
            assertThat(rs.getInt(1)).as("recent entries keep deduplicating").isEqualTo(4);
            assertThat(rs.getInt(2)).isEqualTo(4);
        }
    }

    /** Moves the oldest {@code n} outbox rows to the published log as the relay does, published {@code ago}. */
    private static void publish(java.sql.Statement s, int n, String ago) throws java.sql.SQLException {
        s.executeUpdate("""
                with p as (delete from outbox_message where id in (select id from outbox_message order by id limit %d)
                           returning id, message_id, aggregate_type, aggregate_id, event_type, created_at)
                insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at, published_at)
                select p.*, now() - interval '%s' from p""".formatted(n, ago));
    }

    @Test
    void statsReportBacklogParkedAndOldestPendingAge() throws Exception {
        var fixture = new RelayFixture();
        assertThat(new JdbcOutboxStats(RelayFixture.dataSource).snapshot().pending()).isZero();
        fixture.append(fixture.interleaved(4, 1));
        try (var c = RelayFixture.dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set created_at = now() - interval '90 seconds' where id = (select min(id) from outbox_message)");
            s.executeUpdate("update outbox_message set status = 'PARKED' where id = (select max(id) from outbox_message)");
        }
        var stats = new JdbcOutboxStats(RelayFixture.dataSource).snapshot();
        assertThat(stats.pending()).isEqualTo(3);
        assertThat(stats.parked()).isEqualTo(1);
        assertThat(stats.oldestPendingAge()).isBetween(Duration.ofSeconds(89), Duration.ofSeconds(120));
    }
}
