package com.example.order.data;

import com.example.order.app.Transactions;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxRecordSize;
import com.example.outbox.OutboxWriter;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.jdbc.config.DataJdbcConfiguration;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The order side's persistence on Micronaut Data JDBC (ADR 0002): the repositories and the transaction manager of
 * the default datasource, handed out as the framework-free {@link Transactions} the use cases need.
 *
 * <p>In a function it is a bean, built lazily on first injection. Code that has a plain {@link DataSource} and no
 * Micronaut context (tests, benchmarks, tools) uses {@link #open(DataSource)}, which starts a minimal context
 * around that datasource: no configuration files, no environment, only the beans Micronaut Data needs.
 */
@Singleton
public final class OrderStore implements AutoCloseable {

    private static final String DATASOURCE = "default";

    private final TransactionOperations<Connection> transactionOperations;
    private final DataOrderRepository orders;
    private final DataIdempotencyKeys idempotencyKeys;
    private final ApplicationContext owned;

    OrderStore(TransactionOperations<Connection> transactionOperations, OrderRows orders, OrderItemRows items,
            IdempotencyKeyRows idempotencyKeys) {
        this(transactionOperations, orders, items, idempotencyKeys, null);
    }

    private OrderStore(TransactionOperations<Connection> transactionOperations, OrderRows orders, OrderItemRows items,
            IdempotencyKeyRows idempotencyKeys, ApplicationContext owned) {
        this.transactionOperations = Objects.requireNonNull(transactionOperations);
        this.orders = new DataOrderRepository(orders, items);
        this.idempotencyKeys = new DataIdempotencyKeys(idempotencyKeys);
        this.owned = owned;
    }

    /**
     * An order store on {@code dataSource}, in a Micronaut context of its own; {@link #close()} stops that context
     * (the datasource itself stays open: it belongs to the caller).
     */
    @SuppressWarnings("unchecked")
    public static OrderStore open(DataSource dataSource) {
        ApplicationContext context = ApplicationContext.builder()
                .enableDefaultPropertySources(false)
                .environmentPropertySource(false)
                .deduceEnvironment(false)
                .build();
        context.registerSingleton(DataSource.class, dataSource, Qualifiers.byName(DATASOURCE));
        // What datasources.default.dialect would bind in a function (there is no configuration here).
        var jdbc = new DataJdbcConfiguration(DATASOURCE);
        jdbc.setDialect(Dialect.POSTGRES);
        context.registerSingleton(DataJdbcConfiguration.class, jdbc, Qualifiers.byName(DATASOURCE));
        context.start();
        try {
            return new OrderStore(context.getBean(TransactionOperations.class, Qualifiers.byName(DATASOURCE)),
                    context.getBean(OrderRows.class), context.getBean(OrderItemRows.class),
                    context.getBean(IdempotencyKeyRows.class), context);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * Transactions whose unit of work appends outbox rows with {@code outboxWriter} and records inbox entries with
     * {@code inbox}, both on the transaction's connection.
     *
     * @param eventSource CloudEvents source of the events this process appends, e.g. {@code /order-service/create-order-fn}
     */
    public Transactions transactions(OutboxWriter outboxWriter, Inbox inbox, String eventSource) {
        return transactions(outboxWriter, inbox, eventSource, OutboxRecordSize.KAFKA_DEFAULT_MAX_REQUEST_SIZE);
    }

    /**
     * As {@link #transactions(OutboxWriter, Inbox, String)}, with dead letters kept publishable by a relay whose
     * producer's {@code max.request.size} is {@code deadLetterMaxRecordBytes} ({@link OutboxMessages#of(
     * com.example.order.app.DeadLetter, String, int)}).
     */
    public Transactions transactions(OutboxWriter outboxWriter, Inbox inbox, String eventSource,
            int deadLetterMaxRecordBytes) {
        return new DataTransactions(transactionOperations, orders, idempotencyKeys, outboxWriter, inbox, eventSource,
                deadLetterMaxRecordBytes);
    }

    /** With the outbox library's default writer and inbox. */
    public Transactions transactions(String eventSource) {
        return transactions(new JdbcOutboxWriter(), new JdbcInbox(), eventSource);
    }

    /** Stops the context {@link #open} started; does nothing for the bean of a function's context. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
