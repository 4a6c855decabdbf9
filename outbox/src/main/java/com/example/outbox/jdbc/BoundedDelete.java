package com.example.outbox.jdbc;

import com.example.outbox.RetentionFailedException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Repeats one bounded {@code DELETE} in auto-commit mode until it deletes less than a full batch or the time budget
 * is spent (always at least once): the shared loop of {@link JdbcOutboxRetention} and {@link JdbcInboxRetention}.
 * The statement takes the age in milliseconds as its last-but-one parameter and the batch size as its last. Each
 * statement commits on its own, so a failure part-way leaves the earlier deletions in place; the
 * {@link RetentionFailedException} says how many, so callers count what was really deleted.
 */
final class BoundedDelete {

    private final DataSource dataSource;
    private final String statement;

    BoundedDelete(DataSource dataSource, String statement) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.statement = Objects.requireNonNull(statement);
    }

    /**
     * @return rows deleted
     * @throws RetentionFailedException when a statement (or the connection) fails, carrying the rows the earlier,
     *                                  already committed statements deleted
     */
    int run(Duration age, int batchSize, Duration budget, String... leadingParameters) throws RetentionFailedException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        long deadline = System.nanoTime() + budget.toNanos();
        int total = 0;
        try (var c = dataSource.getConnection(); var delete = c.prepareStatement(statement)) {
            c.setAutoCommit(true);
            int p = 1;
            for (String parameter : leadingParameters) {
                delete.setString(p++, parameter);
            }
            delete.setLong(p++, age.toMillis());
            delete.setInt(p, batchSize);
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == batchSize && System.nanoTime() < deadline);
        } catch (SQLException e) {
            throw new RetentionFailedException(total, e);
        }
        return total;
    }
}
