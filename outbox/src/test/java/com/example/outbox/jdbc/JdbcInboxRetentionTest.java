package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.InboxRetention;
import com.example.outbox.OutboxTables;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The inbox's retention (ADR 0026): run by the consumer that owns the entries, it forgets only that consumer's old
 * entries, in bounded statements; the relay's retention never touches the inbox.
 */
class JdbcInboxRetentionTest {

    @Test
    void forgetsOnlyOldEntriesOfItsOwnConsumerInBoundedStatements() throws Exception {
        String consumer = "retention-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        entries(consumer, "old", 30, "40 days");
        entries(consumer, "new", 4, "1 day");
        entries(other, "old", 5, "40 days");
        var retention = new JdbcInboxRetention(OutboxTables.dataSource());

        assertThat(retention.deleteOlderThan(consumer, Duration.ofDays(30), 20, Duration.ZERO))
                .as("no budget: exactly one statement of at most the batch size").isEqualTo(20);
        assertThat(retention.deleteOlderThan(consumer, Duration.ofDays(30), 20, Duration.ofSeconds(30))).isEqualTo(10);
        assertThat(retention.deleteOlderThan(consumer, Duration.ofDays(30), 20, Duration.ofSeconds(30))).isZero();
        assertThat(count(consumer, "new-%")).as("recent entries keep deduplicating").isEqualTo(4);
        assertThat(count(consumer, "old-%")).isZero();
        assertThat(count(other, "old-%")).as("another consumer's entries are its own to trim").isEqualTo(5);
    }

    @Test
    void theRelaysRetentionLeavesInboxEntriesAlone() throws Exception {
        String consumer = "untouched-" + UUID.randomUUID();
        entries(consumer, "old", 7, "400 days");
        try (var c = OutboxTables.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type,"
                    + " created_at, published_at) select -g, gen_random_uuid(), 't', 'a', 'e', now(),"
                    + " now() - interval '400 days' from generate_series(1, 3) g");
        }
        assertThat(new JdbcOutboxRetention(OutboxTables.dataSource())
                .deletePublishedOlderThan(Duration.ofDays(1), 100, Duration.ofSeconds(30))).isGreaterThanOrEqualTo(3);
        assertThat(count(consumer, "old-%")).isEqualTo(7);
    }

    @Test
    void refusesABadConsumerOrBatchSizeBeforeTouchingTheDatabase() {
        var retention = new JdbcInboxRetention(OutboxTables.dataSource());
        assertThatThrownBy(() -> retention.deleteOlderThan("", Duration.ofDays(30), 10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> retention.deleteOlderThan("c", Duration.ofDays(30), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size");
    }

    @Test
    void theRetentionAgeMustExceedTheDedupeHorizon() {
        assertThatCode(() -> InboxRetention.requireBeyondHorizon(Duration.ofDays(30), Duration.ofDays(7)))
                .doesNotThrowAnyException();
        assertThatCode(() -> InboxRetention.requireBeyondHorizon(Duration.ofDays(7).plusMillis(1), Duration.ofDays(7)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> InboxRetention.requireBeyondHorizon(Duration.ofDays(7), Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must exceed the dedupe horizon");
        assertThatThrownBy(() -> InboxRetention.requireBeyondHorizon(Duration.ofDays(1), Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InboxRetention.requireBeyondHorizon(Duration.ofDays(30), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> InboxRetention.requireBeyondHorizon(null, Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void entries(String consumer, String prefix, int n, String age) throws SQLException {
        try (var c = OutboxTables.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate(("insert into inbox_message (consumer, message_key, received_at) select '%s', '%s-' || n,"
                    + " now() - interval '%s' from generate_series(1, %d) n").formatted(consumer, prefix, age, n));
        }
    }

    private static long count(String consumer, String keyPattern) throws SQLException {
        return OutboxTables.count("inbox_message",
                "consumer = '%s' and message_key like '%s'".formatted(consumer, keyPattern));
    }
}
