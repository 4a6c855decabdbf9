package com.example.order.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.order.app.CancelOrderCommand;
import com.example.order.app.IdempotencyKeys;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.TraceContext;
import com.example.order.testing.SharedOrderDatabase;
import com.example.servers.SharedServers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What {@link JdbcTransactions} leaves on a connection a pool will hand out again, the idempotency-key claim's two
 * answers, and a fresh database's migration, against real PostgreSQL.
 */
class TransactionsAndSchemaContractTest {

    @Test
    void aTransactionHandsItsConnectionBackInAutoCommitMode() throws Exception {
        try (Connection real = SharedOrderDatabase.dataSource().getConnection()) {
            var transactions = new JdbcTransactions(reusing(real, false), "/test");
            Boolean first = transactions.inTransaction(unit -> unit.inbox().firstDelivery("test-consumer",
                    UUID.randomUUID().toString()));
            assertThat(first).isTrue();
            assertThat(real.getAutoCommit()).isTrue();
            assertThatThrownBy(() -> transactions.<Object>inTransaction(unit -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(real.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aRollbackThatFailsTooIsKeptAsSuppressedNotInsteadOfTheCause() throws Exception {
        try (Connection real = SharedOrderDatabase.dataSource().getConnection()) {
            var transactions = new JdbcTransactions(reusing(real, true), "/test");
            assertThatThrownBy(() -> transactions.<Object>inTransaction(unit -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom").satisfies(e -> assertThat(e.getSuppressed())
                    .singleElement().isInstanceOf(SQLException.class));
        }
    }

    @Test
    void anIdempotencyKeyIsClaimedOnceThenAnswersWithTheFirstRequest() throws Exception {
        String key = UUID.randomUUID().toString();
        UUID first = UUID.randomUUID();
        try (Connection c = SharedOrderDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            var keys = new JdbcIdempotencyKeys(c);
            assertThat(keys.claim(key, "fingerprint-1", first)).isInstanceOf(IdempotencyKeys.Claim.Claimed.class);
            assertThat(keys.claim(key, "fingerprint-2", UUID.randomUUID()))
                    .isEqualTo(new IdempotencyKeys.Claim.AlreadyUsed("fingerprint-1", first));
            c.rollback();
        }
    }

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

    /** A pool of one: every getConnection() returns the same connection, whose close() does nothing. */
    private static DataSource reusing(Connection real, boolean rollbackFails) {
        Connection shared = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    if (rollbackFails && method.getName().equals("rollback") && args == null) {
                        real.rollback();
                        throw new SQLException("rollback failed (simulated)", "08006");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> method.getName().equals("getConnection") ? shared : method.invoke(
                        SharedOrderDatabase.dataSource(), args));
    }
}
