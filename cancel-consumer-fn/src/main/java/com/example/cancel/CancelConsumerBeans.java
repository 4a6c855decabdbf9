package com.example.cancel;

import com.example.order.app.ApplyCancellation;
import com.example.order.jdbc.JdbcTransactions;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Wires the framework-free order-core use case into Micronaut. Only the use case is a bean (not its
 * {@code Transactions}), so this never competes with another module's beans on a shared test class path.
 */
@Factory
class CancelConsumerBeans {

    @Singleton
    ApplyCancellation applyCancellation(DataSource dataSource,
            @Value("${cancel-consumer.event-source}") String eventSource) {
        return new ApplyCancellation(new JdbcTransactions(dataSource, eventSource), Clock.systemUTC());
    }
}
