package com.example.order.jdbc;

import com.example.order.app.StorageException;
import com.example.order.app.Transactions;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxWriter;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@link Transactions} over a {@link DataSource}: one connection, auto-commit off, commit on success, rollback on
 * any exception. Everything in the {@link JdbcUnitOfWork} (orders, idempotency keys, outbox, inbox) shares it.
 */
public final class JdbcTransactions implements Transactions {

    private final DataSource dataSource;
    private final OutboxWriter outboxWriter;
    private final Inbox inbox;
    private final String eventSource;

    /**
     * @param eventSource CloudEvents source of the events this process appends, e.g. {@code /order-service/create-order-fn}
     */
    public JdbcTransactions(DataSource dataSource, OutboxWriter outboxWriter, Inbox inbox, String eventSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.outboxWriter = Objects.requireNonNull(outboxWriter);
        this.inbox = Objects.requireNonNull(inbox);
        this.eventSource = Objects.requireNonNull(eventSource);
    }

    /** With the default outbox writer and inbox. */
    public JdbcTransactions(DataSource dataSource, String eventSource) {
        this(dataSource, new JdbcOutboxWriter(), new JdbcInbox(), eventSource);
    }

    @Override
    public <T> T inTransaction(TransactionalWork<T> work) {
        return inConnection(unit -> work.run(unit));
    }

    /** Work on the JDBC unit of work; may throw SQLException, which becomes a {@link StorageException}. */
    @FunctionalInterface
    private interface JdbcWork<T> {
        T run(JdbcUnitOfWork unitOfWork) throws SQLException;
    }

    private <T> T inConnection(JdbcWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.run(new JdbcUnitOfWork(connection, outboxWriter, inbox, eventSource));
                connection.commit();
            } catch (Throwable failure) {
                rollbackQuietly(connection, failure);
                throw failure;
            } finally {
                restoreAutoCommit(connection);
            }
            return result;
        } catch (SQLException e) {
            throw new StorageException("Database transaction failed: " + e.getMessage(), e);
        }
    }

    // A failure here must not mask the outcome: after a commit it would report a committed transaction as failed.
    // A connection that cannot even do this is broken, and the pool discards it.
    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException brokenConnection) {
            // nothing to do: see above
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
