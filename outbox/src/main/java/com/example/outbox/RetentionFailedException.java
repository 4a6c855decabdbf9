package com.example.outbox;

import java.sql.SQLException;

/**
 * A retention run ({@link OutboxRetention}, {@link InboxRetention}) that failed part-way. Each delete statement commits
 * on its own, so the rows of the statements before the failing one stay deleted: {@link #deleted()} says how many,
 * for the caller's metric and log, which would otherwise under-report. The failing statement deleted nothing (it
 * rolled back). SQL state and vendor code are the cause's, so callers that classify {@link SQLException}s see the
 * database's answer.
 */
public final class RetentionFailedException extends SQLException {

    private final int deleted;

    /**
     * @param deleted rows the run's earlier statements deleted and committed before {@code cause}, 0 or more
     * @param cause   the database's error
     */
    public RetentionFailedException(int deleted, SQLException cause) {
        super("retention failed after deleting " + deleted + " rows: " + cause.getMessage(), cause.getSQLState(),
                cause.getErrorCode(), cause);
        if (deleted < 0) {
            throw new IllegalArgumentException("deleted must not be negative, got " + deleted);
        }
        this.deleted = deleted;
    }

    /** Rows deleted (and committed) by this run before it failed. */
    public int deleted() {
        return deleted;
    }
}
