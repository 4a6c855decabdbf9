package com.example.createorder;

import com.example.order.jdbc.DatabaseSchema;
import com.example.servers.PostgresServer;
import com.example.servers.SharedServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import java.util.UUID;

/** The shared real PostgreSQL, migrated once, plus the queries tests use to see what was (not) written. */
final class TestDatabase {

    private static DataSource dataSource;

    private TestDatabase() {
    }

    static synchronized DataSource dataSource() {
        if (dataSource == null) {
            DataSource ds = SharedServers.postgres().dataSource();
            DatabaseSchema.migrateAll(ds);
            dataSource = ds;
        }
        return dataSource;
    }

    /** Micronaut properties pointing the default datasource at the shared server. */
    static Map<String, Object> properties() {
        dataSource();
        PostgresServer pg = SharedServers.postgres();
        return Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password());
    }

    /** Rows in every table a create writes; equal before and after means nothing was written. */
    static long allRows() {
        return count("select (select count(*) from orders) + (select count(*) from order_items)"
                + " + (select count(*) from idempotency_keys) + (select count(*) from outbox_message)");
    }

    static long count(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); var s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long ordersOf(UUID customerId) {
        return count("select count(*) from orders where customer_id = ?", customerId);
    }

    static long outboxRowsFor(UUID orderId) {
        return count("select count(*) from outbox_message where aggregate_id = ?", orderId.toString());
    }
}
