package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes the outbox library's bookkeeping once it is old enough, so its tables do not grow forever: entries of the
 * published log, and inbox entries.
 *
 * <p>Contract for both methods: only entries older than {@code age} are deleted, never pending or parked outbox
 * rows; deletion happens in short transactions of at most {@code batchSize} rows each (at least one), and no new
 * batch starts once {@code budget} is used up, so it never holds locks or a transaction long enough to slow the
 * relay's hot path.
 */
public interface OutboxRetention {

    /** @return how many published-log entries were deleted */
    int deletePublishedOlderThan(Duration age, int batchSize, Duration budget) throws SQLException;

    /**
     * Forgets inbox entries received longer ago than {@code age}. A message redelivered after that would be applied
     * again, so {@code age} must exceed how long the source can redeliver (the topic's retention).
     *
     * @return how many inbox entries were deleted
     */
    int deleteInboxEntriesOlderThan(Duration age, int batchSize, Duration budget) throws SQLException;
}
