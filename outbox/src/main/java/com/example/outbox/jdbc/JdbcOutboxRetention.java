package com.example.outbox.jdbc;

import com.example.outbox.OutboxRetention;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The default {@link OutboxRetention}: repeated short {@code DELETE ... LIMIT}-style statements in
 * auto-commit mode, oldest entries of the published log first. {@code SKIP LOCKED} keeps two runs from waiting on each other;
 * the relay never touches old entries, so it never competes with it.
 */
public final class JdbcOutboxRetention implements OutboxRetention {

    private static final String DELETE_BATCH = """
            delete from outbox_published where id in (
                select id from outbox_published
                 where published_at < now() - ? * interval '1 millisecond'
                 order by published_at
                 limit ?
                   for update skip locked)
            """;

    private final DataSource dataSource;

    public JdbcOutboxRetention(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    @Override
    public int deletePublishedOlderThan(Duration age, int batchSize, Duration budget) throws SQLException {
        long deadline = System.nanoTime() + budget.toNanos();
        int total = 0;
        try (var c = dataSource.getConnection(); var delete = c.prepareStatement(DELETE_BATCH)) {
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
