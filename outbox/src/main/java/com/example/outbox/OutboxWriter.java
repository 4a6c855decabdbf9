package com.example.outbox;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Appends messages to the outbox inside the caller's transaction.
 *
 * <p>Contract: {@link #append} writes through the given connection and never commits, rolls back or changes
 * its auto-commit mode. The message becomes visible to the relay exactly when, and only if, the caller's
 * transaction commits; if it rolls back, the message never existed. That is the whole point of the outbox.
 *
 * <p>A caller that appends several messages for the same aggregate in one or more transactions gets them
 * published in append order, provided concurrent writers of one aggregate are serialised by the caller
 * (for example by locking the aggregate's row first).
 */
public interface OutboxWriter {

    /**
     * @throws SQLException if the row cannot be written; the caller's transaction must then roll back
     * @throws IllegalStateException if the connection is in auto-commit mode, which would break atomicity
     */
    void append(Connection transaction, OutboxMessage message) throws SQLException;
}
