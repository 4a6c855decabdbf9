package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes the relay's own bookkeeping once it is old enough: entries of the published log
 * ({@code outbox_published}), so it does not grow forever. It never touches inbox entries: those belong to the
 * consumers, which trim them through {@link InboxRetention} (ADR 0026).
 *
 * <p>Contract: only entries older than {@code age} are deleted, never pending or parked outbox rows; deletion happens
 * in short transactions of at most {@code batchSize} rows each (at least one), and no new batch starts once
 * {@code budget} is used up, so it never holds locks or a transaction long enough to slow the relay's hot path.
 */
public interface OutboxRetention {

    /**
     * @return how many published-log entries were deleted
     * @throws RetentionFailedException when a statement fails; it carries how many entries the earlier statements of
     *                                  this run deleted (committed, so they stay deleted)
     * @throws SQLException             from implementations that cannot say (the default one always can)
     */
    int deletePublishedOlderThan(Duration age, int batchSize, Duration budget) throws SQLException;
}
