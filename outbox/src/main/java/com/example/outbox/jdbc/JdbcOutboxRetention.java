package com.example.outbox.jdbc;

import com.example.outbox.OutboxRetention;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The default {@link OutboxRetention}: repeated short {@code DELETE ... LIMIT}-style statements in
 * auto-commit mode, oldest entries first. {@code SKIP LOCKED} keeps two runs from waiting on each other;
 * the relay never touches old entries, so it never competes with it.
 */
public final class JdbcOutboxRetention implements OutboxRetention {

    private static final String DELETE_PUBLISHED_BATCH = """
            delete from outbox_published where id in (
                select id from outbox_published
                 where published_at < now() - ? * interval '1 millisecond'
                 order by published_at
                 limit ?
                   for update skip locked)
            """;

    private static final String DELETE_INBOX_BATCH = """
            delete from inbox_message where (consumer, message_key) in (
                select consumer, message_key from inbox_message
                 where received_at < now() - ? * interval '1 millisecond'
                 order by received_at
                 limit ?
                   for update skip locked)
            """;

    private final DataSource dataSource;

    public JdbcOutboxRetention(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    @Override
    public int deletePublishedOlderThan(Duration age, int batchSize, Duration budget) throws SQLException {
        return deleteInBatches(DELETE_PUBLISHED_BATCH, age, batchSize, budget);
    }

    @Override
    public int deleteInboxEntriesOlderThan(Duration age, int batchSize, Duration budget) throws SQLException {
        return deleteInBatches(DELETE_INBOX_BATCH, age, batchSize, budget);
    }

    private int deleteInBatches(String deleteBatch, Duration age, int batchSize, Duration budget) throws SQLException {
        long deadline = System.nanoTime() + budget.toNanos();
        int total = 0;
        try (var c = dataSource.getConnection(); var delete = c.prepareStatement(deleteBatch)) {
            c.setAutoCommit(true);
            delete.setLong(1, age.toMillis());
            delete.setInt(2, batchSize);
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == batchSize && System.nanoTime() < deadline);
        }
        return total;
    }
}
