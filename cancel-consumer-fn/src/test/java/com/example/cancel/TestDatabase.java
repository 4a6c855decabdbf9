package com.example.cancel;

import com.example.order.testing.SharedOrderDatabase;
import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxRelay;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The shared migrated PostgreSQL, with a short connection timeout so outage tests fail records fast. */
final class TestDatabase {

    private TestDatabase() {
    }

    static DataSource dataSource() {
        return SharedOrderDatabase.dataSource();
    }

    static Map<String, Object> properties() {
        var properties = SharedOrderDatabase.micronautProperties();
        properties.put("datasources.default.connection-timeout", "1000");
        return properties;
    }

    static long count(String sql, Object... params) {
        return SharedOrderDatabase.count(sql, params);
    }

    static Map<String, Object> single(String sql, Object... params) {
        return SharedOrderDatabase.single(sql, params);
    }

    static List<Map<String, Object>> rows(String sql, Object... params) {
        return SharedOrderDatabase.rows(sql, params);
    }

    /**
     * A relay over this database's outbox, as the end-to-end tests drive it: each {@code drain} claims what is there
     * (60 s claim hold), publishes it through {@code publisher} and returns once the outbox is empty.
     */
    static OutboxRelay outboxRelay(MessagePublisher publisher) {
        return new OutboxRelay(new JdbcOutboxClaimer(dataSource(), RetryPolicy.defaults(), Duration.ofSeconds(60)),
                publisher, RelaySettings.defaults().withIdleLimit(Duration.ZERO).withSafetyMargin(Duration.ofSeconds(1)));
    }
}
