package com.example.cancel;

import com.example.order.app.ApplyCancellation;
import com.example.order.app.Transactions;
import com.example.order.data.OrderStore;
import com.example.servers.SharedServers;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real outage at a chosen moment: when armed, the real PostgreSQL server is stopped right before the n-th
 * transaction of the use case (so that transaction fails against a dead server) and started again once it has
 * failed. Only in contexts started with {@code test.database-outage=true}.
 */
@Factory
@Requires(property = "test.database-outage", value = "true")
class DatabaseOutage {

    private static final AtomicInteger transactions = new AtomicInteger();
    private static volatile int stopBefore = -1;

    /** Stops the server before the {@code n}-th transaction from now (1 = the next one). */
    static void armBefore(int n) {
        transactions.set(0);
        stopBefore = n;
    }

    static void disarm() {
        stopBefore = -1;
    }

    @Singleton
    @Replaces(bean = ApplyCancellation.class, factory = CancelConsumerBeans.class)
    ApplyCancellation applyCancellation(OrderStore orderStore, @Value("${cancel-consumer.event-source}") String source) {
        Transactions real = orderStore.transactions(source);
        Transactions withOutage = new Transactions() {
            @Override
            public <T> T inTransaction(TransactionalWork<T> work) {
                if (transactions.incrementAndGet() != stopBefore) {
                    return real.inTransaction(work);
                }
                stopBefore = -1;
                SharedServers.postgres().stop();
                try {
                    return real.inTransaction(work);
                } finally {
                    SharedServers.postgres().start();
                }
            }
        };
        return new ApplyCancellation(withOutage, Clock.systemUTC());
    }
}
