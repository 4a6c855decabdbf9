package com.example.createorder;

import com.example.order.app.CreateOrder;
import com.example.order.app.GetOrder;
import com.example.order.app.Transactions;
import com.example.order.jdbc.JdbcTransactions;
import com.example.order.jdbc.RelayWakingTransactions;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxWriter;
import com.example.outbox.RelayWakeUpOnCommit;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.wakeup.LambdaWakeUpOnCommit;
import com.example.wakeup.RelayWakeUpSettings;
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

    /** Transactions that wake the relay after a commit that appended outbox rows (ADR 0014), when configured. */
    @Singleton
    Transactions transactions(DataSource dataSource, OutboxWriter outboxWriter, Inbox inbox,
            @Value("${create-order.event-source}") String eventSource,
            RelayWakeUpSettings wakeUpSettings) {
        RelayWakeUpOnCommit wakeUp = LambdaWakeUpOnCommit.create(dataSource, wakeUpSettings, "create-order");
        if (wakeUp == null) {
            return new JdbcTransactions(dataSource, outboxWriter, inbox, eventSource);
        }
        return new RelayWakingTransactions(
                new JdbcTransactions(dataSource, wakeUp.tracking(outboxWriter), inbox, eventSource), wakeUp);
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
