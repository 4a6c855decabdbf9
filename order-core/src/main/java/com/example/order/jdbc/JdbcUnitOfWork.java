package com.example.order.jdbc;

import com.example.order.app.DeadLetters;
import com.example.order.app.EventOutbox;
import com.example.order.app.IdempotencyKeys;
import com.example.order.app.OrderRepository;
import com.example.order.app.ProcessedMessages;
import com.example.order.app.StorageException;
import com.example.order.app.UnitOfWork;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;

/** The JDBC {@link UnitOfWork}: every adapter writes through the one {@link Connection} of the transaction. */
public final class JdbcUnitOfWork implements UnitOfWork {

    private final JdbcOrderRepository orders;
    private final JdbcIdempotencyKeys idempotencyKeys;
    private final OutboxEventOutbox outbox;
    private final ProcessedMessages inbox;
    private final OutboxDeadLetters deadLetters;

    JdbcUnitOfWork(Connection connection, OutboxWriter outboxWriter, Inbox inbox, String eventSource) {
        this.orders = new JdbcOrderRepository(connection);
        this.idempotencyKeys = new JdbcIdempotencyKeys(connection);
        this.outbox = new OutboxEventOutbox(connection, outboxWriter, eventSource);
        this.deadLetters = new OutboxDeadLetters(connection, outboxWriter, eventSource);
        this.inbox = (consumer, messageKey) -> {
            try {
                return inbox.firstDelivery(connection, consumer, messageKey);
            } catch (SQLException e) {
                throw new StorageException("Inbox write failed", e);
            }
        };
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
    public EventOutbox outbox() {
        return outbox;
    }

    @Override
    public ProcessedMessages inbox() {
        return inbox;
    }

    @Override
    public DeadLetters deadLetters() {
        return deadLetters;
    }
}
