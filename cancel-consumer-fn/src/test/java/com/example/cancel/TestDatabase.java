package com.example.cancel;

import com.example.order.testing.SharedOrderDatabase;
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
}
