package com.example.order.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.app.CancelOrderCommand;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.TraceContext;
import com.example.servers.SharedServers;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh database's migration against real PostgreSQL, and the cancel command's trace default. */
class TransactionsAndSchemaContractTest {

    @Test
    void aFreshDatabaseGetsTheOutboxAndTheOrderTables() throws Exception {
        var server = SharedServers.postgres();
        String name = "orders_" + UUID.randomUUID().toString().replace("-", "");
        try (var c = server.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("create database " + name);
        }
        var fresh = new PGSimpleDataSource();
        fresh.setUrl(server.jdbcUrl());
        fresh.setUser(server.username());
        fresh.setPassword(server.password());
        fresh.setDatabaseName(name);
        var applied = DatabaseSchema.migrateAll(fresh);
        assertThat(applied.get("outbox_schema_history")).startsWith("1").doesNotContainNull();
        assertThat(applied.get("order_schema_history")).isNotEmpty().doesNotContainNull().doesNotContain("0");
        try (var c = fresh.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select to_regclass('outbox_message') is not null and to_regclass('orders') is not null")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void aCancelCommandKeepsItsTraceAndDefaultsToNone() {
        var source = new ReceivedMessage("order.cancelled", 0, 0, 0, "CREATE_TIME", null, null, List.of());
        var trace = new TraceContext("00-t-01", "c");
        assertThat(new CancelOrderCommand("c", "k", UUID.randomUUID(), null, Instant.EPOCH, source, trace).trace())
                .isEqualTo(trace);
        assertThat(new CancelOrderCommand("c", "k", UUID.randomUUID(), null, Instant.EPOCH, source, null).trace())
                .isEqualTo(TraceContext.none());
    }
}
