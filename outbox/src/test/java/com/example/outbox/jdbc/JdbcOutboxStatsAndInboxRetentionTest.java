package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxTables;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Backlog statistics and the inbox's retention. The published log's retention is a relay guarantee, proven by the
 * contract kit (RelayContract.retentionDeletesOnlyOldDeliveriesInBoundedBatches in outbox-testkit).
 */
class JdbcOutboxStatsAndInboxRetentionTest {

    @Test
    void inboxRetentionForgetsOnlyOldEntriesInBoundedBatches() throws Exception {
        String consumer = "retention-test-" + UUID.randomUUID();
        var dataSource = OutboxTables.dataSource();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate(("insert into inbox_message (consumer, message_key, received_at) "
                    + "select '%s', 'old-' || n, now() - interval '40 days' from generate_series(1, 30) n").formatted(consumer));
            s.executeUpdate(("insert into inbox_message (consumer, message_key, received_at) "
                    + "select '%s', 'new-' || n, now() - interval '1 day' from generate_series(1, 4) n").formatted(consumer));
        }
        var retention = new JdbcOutboxRetention(dataSource);

        assertThat(retention.deleteInboxEntriesOlderThan(Duration.ofDays(30), 20, Duration.ZERO)).isEqualTo(20);
        assertThat(retention.deleteInboxEntriesOlderThan(Duration.ofDays(30), 20, Duration.ofSeconds(30))).isEqualTo(10);
        assertThat(OutboxTables.count("inbox_message", "consumer = '%s' and message_key like 'new-%%'".formatted(consumer)))
                .as("recent entries keep deduplicating").isEqualTo(4);
        assertThat(OutboxTables.count("inbox_message", "consumer = '%s'".formatted(consumer))).isEqualTo(4);
    }

    @Test
    void statsReportBacklogParkedAndOldestPendingAge() throws Exception {
        OutboxTables.clear();
        var dataSource = OutboxTables.dataSource();
        assertThat(new JdbcOutboxStats(dataSource).snapshot().pending()).isZero();
        OutboxTables.append(OutboxTables.message("a"), OutboxTables.message("b"), OutboxTables.message("c"),
                OutboxTables.message("d"));
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set created_at = now() - interval '90 seconds' where id = (select min(id) from outbox_message)");
            s.executeUpdate("update outbox_message set status = 'PARKED' where id = (select max(id) from outbox_message)");
        }
        var stats = new JdbcOutboxStats(dataSource).snapshot();
        assertThat(stats.pending()).isEqualTo(3);
        assertThat(stats.parked()).isEqualTo(1);
        assertThat(stats.oldestPendingAge()).isBetween(Duration.ofSeconds(89), Duration.ofSeconds(120));
    }
}
