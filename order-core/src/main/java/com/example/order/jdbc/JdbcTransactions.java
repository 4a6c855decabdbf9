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

    /**
     * Like {@link #inTransaction} but hands out the JDBC unit of work, whose {@link JdbcUnitOfWork#connection()}
     * lets JDBC adapters outside order-core write in the same transaction.
     */
    public <T> T inJdbcTransaction(JdbcWork<T> work) {
        return inConnection(work);
    }

    /** Work that needs the JDBC-level unit of work. */
    @FunctionalInterface
    public interface JdbcWork<T> {
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
                connection.setAutoCommit(true);
            }
            return result;
        } catch (SQLException e) {
            throw new StorageException("Database transaction failed: " + e.getMessage(), e);
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
