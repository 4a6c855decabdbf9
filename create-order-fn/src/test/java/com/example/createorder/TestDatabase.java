package com.example.createorder;

import com.example.order.testing.SharedOrderDatabase;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** The shared migrated PostgreSQL, plus the counts create-order tests use to see what was (not) written. */
final class TestDatabase {

    private TestDatabase() {
    }

    static DataSource dataSource() {
        return SharedOrderDatabase.dataSource();
    }

    static Map<String, Object> properties() {
        return SharedOrderDatabase.micronautProperties();
    }

    /** Rows in every table a create writes; equal before and after means nothing was written. */
    static long allRows() {
        return count("select (select count(*) from orders) + (select count(*) from order_items)"
                + " + (select count(*) from idempotency_keys) + (select count(*) from outbox_message)");
    }

    static long count(String sql, Object... params) {
        return SharedOrderDatabase.count(sql, params);
    }

    static long ordersOf(UUID customerId) {
        return count("select count(*) from orders where customer_id = ?", customerId);
    }

    static long outboxRowsFor(UUID orderId) {
        return count("select count(*) from outbox_message where aggregate_id = ?", orderId.toString());
    }
}
