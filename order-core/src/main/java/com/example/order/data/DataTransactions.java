package com.example.order.data;

import com.example.order.app.DeadLetter;
import com.example.order.app.Delivery;
import com.example.order.app.IdempotencyKeys;
import com.example.order.app.OrderRepository;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.StorageException;
import com.example.order.app.TraceContext;
import com.example.order.app.Transactions;
import com.example.order.app.UnitOfWork;
import com.example.order.domain.OrderEvent;
import com.example.outbox.Inbox;
import com.example.outbox.InboxFingerprint;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxWriter;
import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.exceptions.TransactionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link Transactions} on Micronaut Data's {@link TransactionOperations}: each {@link #inTransaction} is a new
 * transaction on one pooled connection (auto-commit off, commit on normal return, rollback on any exception, the
 * connection handed back in auto-commit mode). The repositories use that transaction's contextual connection, and
 * the outbox library's {@link OutboxWriter} and {@link Inbox} get the very same {@link Connection} from the
 * transaction status: so the order, its outbox row and the inbox entry commit together or not at all.
 *
 * <p>Errors: an exception thrown by the work propagates unchanged after the rollback. Micronaut Data's own failures
 * (connection unavailable, statement failed, commit or rollback failed) become {@link StorageException}, the only
 * exception the functions read as "database unavailable"; the original, with its {@link SQLException} and SQLSTATE,
 * is the cause. When the rollback after a failed work fails too (the connection broke), the result is that
 * {@code StorageException}, with the work's exception attached as suppressed.
 */
public final class DataTransactions implements Transactions {

    private static final TransactionDefinition NEW_TRANSACTION =
            TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW);

    private final TransactionOperations<Connection> transactionOperations;
    private final OrderRepository orders;
    private final IdempotencyKeys idempotencyKeys;
    private final OutboxWriter outboxWriter;
    private final Inbox inbox;
    private final String eventSource;
    private final int deadLetterMaxRecordBytes;

    DataTransactions(TransactionOperations<Connection> transactionOperations, OrderRepository orders,
            IdempotencyKeys idempotencyKeys, OutboxWriter outboxWriter, Inbox inbox, String eventSource,
            int deadLetterMaxRecordBytes) {
        this.transactionOperations = Objects.requireNonNull(transactionOperations);
        this.orders = Objects.requireNonNull(orders);
        this.idempotencyKeys = Objects.requireNonNull(idempotencyKeys);
        this.outboxWriter = Objects.requireNonNull(outboxWriter);
        this.inbox = Objects.requireNonNull(inbox);
        this.eventSource = Objects.requireNonNull(eventSource);
        this.deadLetterMaxRecordBytes = deadLetterMaxRecordBytes;
    }

    @Override
    public <T> T inTransaction(TransactionalWork<T> work) {
        var workFailure = new RuntimeException[1];
        try {
            return transactionOperations.execute(NEW_TRANSACTION, status -> {
                try {
                    return work.run(new Unit(status.getConnection()));
                } catch (RuntimeException e) {
                    workFailure[0] = e;
                    throw e;
                }
            });
        } catch (DataAccessException | ConnectionException | CannotGetJdbcConnectionException | TransactionException
                | io.micronaut.transaction.jdbc.exceptions.CannotGetJdbcConnectionException e) {
            var storage = new StorageException("Database transaction failed: " + e.getMessage(), e);
            if (workFailure[0] != null && workFailure[0] != e) {
                // The rollback failed too, and Micronaut reports that instead: keep what the work threw.
                storage.addSuppressed(workFailure[0]);
            }
            throw storage;
        }
    }

    /** One transaction's view: the shared repositories plus the outbox and inbox on the transaction's connection. */
    private final class Unit implements UnitOfWork {

        private final Connection connection;

        Unit(Connection connection) {
            this.connection = connection;
        }

        @Override
        public OrderRepository orders() {
            return orders;
        }

        @Override
        public IdempotencyKeys idempotencyKeys() {
            return idempotencyKeys;
        }

        @Override
        public void appendToOutbox(OrderEvent event, TraceContext trace) {
            append(OutboxMessages.of(event, trace, eventSource),
                    () -> "Outbox append failed for " + event.eventType() + " " + event.eventId());
        }

        @Override
        public void appendDeadLetter(DeadLetter deadLetter) {
            append(OutboxMessages.of(deadLetter, eventSource, deadLetterMaxRecordBytes),
                    () -> "Outbox append failed for dead letter " + deadLetter.inboxKey());
        }

        @Override
        public Delivery receive(String consumer, String inboxKey, ReceivedMessage message) {
            var headers = new ArrayList<Map.Entry<String, byte[]>>(message.headers().size());
            for (ReceivedMessage.Header h : message.headers()) {
                headers.add(new AbstractMap.SimpleImmutableEntry<>(h.name(), h.value()));
            }
            byte[] fingerprint = InboxFingerprint.of(message.value(), headers);
            try {
                return switch (inbox.receive(connection, consumer, inboxKey, fingerprint)) {
                    case FIRST -> new Delivery.First();
                    case DUPLICATE -> new Delivery.Duplicate(true);
                    case UNVERIFIED_DUPLICATE -> new Delivery.Duplicate(false);
                    case KEY_REUSED -> new Delivery.KeyReused(Inbox.conflictKey(inboxKey, fingerprint));
                };
            } catch (SQLException e) {
                throw new StorageException("Inbox write failed", e);
            }
        }

        private void append(OutboxMessage message, Supplier<String> failure) {
            try {
                outboxWriter.append(connection, message);
            } catch (SQLException e) {
                throw new StorageException(failure.get(), e);
            }
        }
    }
}
