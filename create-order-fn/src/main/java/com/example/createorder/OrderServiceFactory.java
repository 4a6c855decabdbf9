package com.example.createorder;

import com.example.order.app.CreateOrder;
import com.example.order.app.GetOrder;
import com.example.order.app.Transactions;
import com.example.order.data.OrderStore;
import com.example.order.data.RelayWakingTransactions;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxWriter;
import com.example.outbox.RelayWakeUpOnCommit;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.wakeup.LambdaWakeUpOnCommit;
import com.example.wakeup.RelayWakeUpSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
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

    /** Transactions that wake the relay after a commit that appended outbox rows (ADR 0014), when configured. */
    @Singleton
    Transactions transactions(OrderStore orderStore, DataSource dataSource, OutboxWriter outboxWriter, Inbox inbox,
            CreateOrderSettings settings, RelayWakeUpSettings wakeUpSettings) {
        // The watch read runs on its own thread, outside any transaction: it needs the pool itself, not Micronaut
        // Data's contextual-connection wrapper of it.
        RelayWakeUpOnCommit wakeUp = LambdaWakeUpOnCommit.create(DelegatingDataSource.unwrapDataSource(dataSource),
                wakeUpSettings, "create-order");
        if (wakeUp == null) {
            return orderStore.transactions(outboxWriter, inbox, settings.eventSource());
        }
        return new RelayWakingTransactions(
                orderStore.transactions(wakeUp.tracking(outboxWriter), inbox, settings.eventSource()), wakeUp);
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
