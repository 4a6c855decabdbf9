package com.example.cancel;

import com.example.order.app.ApplyCancellation;
import com.example.order.data.OrderStore;
import com.example.order.data.RelayWakingTransactions;
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

/**
 * Wires the framework-free order-core use case into Micronaut. Only the use case is a bean (not its
 * {@code Transactions}), so this never competes with another module's beans on a shared test class path.
 * Dead letters leave through the outbox, so a commit that appended one wakes the relay (ADR 0014), when configured,
 * and they are kept within {@code cancel-consumer.dead-letter-max-record-bytes} so the relay can publish them.
 */
@Factory
class CancelConsumerBeans {

    @Singleton
    ApplyCancellation applyCancellation(OrderStore orderStore, DataSource dataSource,
            CancelConsumerConfiguration configuration, RelayWakeUpSettings wakeUpSettings) {
        String eventSource = configuration.eventSource();
        // The watch read runs on its own thread, outside any transaction: it needs the pool, not the contextual wrapper.
        RelayWakeUpOnCommit wakeUp = LambdaWakeUpOnCommit.create(DelegatingDataSource.unwrapDataSource(dataSource),
                wakeUpSettings, "cancel-consumer");
        int deadLetterLimit = configuration.deadLetterMaxRecordBytes();
        if (wakeUp == null) {
            return new ApplyCancellation(orderStore.transactions(new JdbcOutboxWriter(), new JdbcInbox(), eventSource,
                    deadLetterLimit), Clock.systemUTC());
        }
        return new ApplyCancellation(new RelayWakingTransactions(orderStore.transactions(
                wakeUp.tracking(new JdbcOutboxWriter()), new JdbcInbox(), eventSource, deadLetterLimit), wakeUp),
                Clock.systemUTC());
    }
}
