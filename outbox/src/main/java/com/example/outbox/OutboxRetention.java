package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes published rows once they are old enough, so the table does not grow forever.
 *
 * <p>Contract: only rows published longer ago than {@code age} are deleted, never pending or parked rows;
 * deletion happens in short transactions of at most {@code batchSize} rows each (at least one), and
 * no new batch starts once {@code budget} is used up, so it never holds locks or a transaction long enough to slow the relay's hot path.
 */
public interface OutboxRetention {

    /** @return how many rows were deleted */
    int deletePublishedOlderThan(Duration age, int batchSize, Duration budget) throws SQLException;
}
