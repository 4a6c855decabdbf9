package com.example.order.testing;

import com.example.order.data.OrderStore;
import com.example.order.jdbc.DatabaseSchema;
import com.example.servers.PostgresServer;
import com.example.servers.SharedServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * For the function modules' tests: the JVM's shared real PostgreSQL with the whole schema migrated once, Micronaut
 * properties pointing a function at it, and small queries to see what was (not) written.
 */
public final class SharedOrderDatabase {

    private static DataSource dataSource;
    private static OrderStore orderStore;

    private SharedOrderDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            DataSource ds = SharedServers.postgres().dataSource();
            DatabaseSchema.migrateAll(ds);
            dataSource = ds;
        }
        return dataSource;
    }

    /** The order store (Micronaut Data) on the shared database, started once per JVM and never closed. */
    public static synchronized OrderStore orderStore() {
        if (orderStore == null) {
            orderStore = OrderStore.open(dataSource());
        }
        return orderStore;
    }

    /** Micronaut properties pointing the default datasource at the shared server (migrated); mutable, add to it. */
    public static Map<String, Object> micronautProperties() {
        dataSource();
        return micronautProperties(SharedServers.postgres().jdbcUrl());
    }

    /** Micronaut properties pointing the default datasource at {@code jdbcUrl} on the shared server; mutable. */
    public static Map<String, Object> micronautProperties(String jdbcUrl) {
        PostgresServer pg = SharedServers.postgres();
        var properties = new HashMap<String, Object>();
        properties.put("datasources.default.url", jdbcUrl);
        properties.put("datasources.default.username", pg.username());
        properties.put("datasources.default.password", pg.password());
        return properties;
    }

    /** Creates a new, empty database on the shared server (nothing migrated) and returns its JDBC URL. */
    public static String createEmptyDatabase() {
        PostgresServer pg = SharedServers.postgres();
        String name = "empty_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = pg.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pg.jdbcUrl().replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
    }

    /** Tables in the {@code public} schema of the database at {@code jdbcUrl} on the shared server, sorted. */
    public static List<String> tablesOf(String jdbcUrl) {
        PostgresServer pg = SharedServers.postgres();
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, pg.username(), pg.password());
                var s = c.createStatement();
                var rs = s.executeQuery("select table_name from information_schema.tables"
                        + " where table_schema = 'public' order by table_name")) {
            var tables = new ArrayList<String>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String sql, Object... params) {
        return ((Number) single(sql, params).values().iterator().next()).longValue();
    }

    public static Map<String, Object> single(String sql, Object... params) {
        List<Map<String, Object>> rows = rows(sql, params);
        if (rows.size() != 1) {
            throw new IllegalStateException("Expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    public static List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); var s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (var rs = s.executeQuery()) {
                var result = new ArrayList<Map<String, Object>>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
