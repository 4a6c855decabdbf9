package com.example.createorder;

import com.example.order.app.CreateOrder;
import com.example.order.app.GetOrder;
import com.example.order.app.Transactions;
import com.example.order.jdbc.JdbcTransactions;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxWriter;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;

/** Wires the framework-free order-core into Micronaut. The only place that knows both. */
@Factory
class OrderServiceFactory {

    @Singleton
    OutboxWriter outboxWriter() {
        return new JdbcOutboxWriter();
    }

    @Singleton
    Inbox inbox() {
        return new JdbcInbox();
    }

    @Singleton
    Transactions transactions(DataSource dataSource, OutboxWriter outboxWriter, Inbox inbox,
            @Value("${create-order.event-source}") String eventSource) {
        return new JdbcTransactions(dataSource, outboxWriter, inbox, eventSource);
    }

    @Singleton
    CreateOrder createOrder(Transactions transactions) {
        return new CreateOrder(transactions, Clock.systemUTC());
    }

    @Singleton
    GetOrder getOrder(Transactions transactions) {
        return new GetOrder(transactions);
    }
}
