package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxTables;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Backlog statistics. The published log's retention is a relay guarantee, proven by the contract kit
 * (RelayContract.retentionDeletesOnlyOldDeliveriesInBoundedBatches in outbox-testkit); the inbox's retention is
 * {@link JdbcInboxRetentionTest}.
 */
class JdbcOutboxStatsTest {

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
