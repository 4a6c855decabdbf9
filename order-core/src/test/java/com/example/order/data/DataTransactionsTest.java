package com.example.order.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.order.app.GetOrder;
import com.example.order.app.IdempotencyKeys;
import com.example.order.app.Delivery;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.StorageException;
import com.example.order.app.Transactions;
import com.example.order.domain.Order;
import com.example.order.domain.OrderDraft;
import com.example.order.testing.SharedOrderDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What {@link DataTransactions} (Micronaut Data's transaction manager underneath) leaves on a connection a pool
 * will hand out again, how it reports failures, the idempotency-key claim's two answers, and exact timestamps,
 * against real PostgreSQL.
 */
class DataTransactionsTest {

    @Test
    void aTransactionHandsItsConnectionBackInAutoCommitMode() throws Exception {
        try (Connection real = SharedOrderDatabase.dataSource().getConnection();
                OrderStore store = OrderStore.open(reusing(real, false))) {
            var transactions = store.transactions("/test");
            Delivery first = transactions.inTransaction(unit -> unit.receive("test-consumer",
                    UUID.randomUUID().toString(), new ReceivedMessage("t", 0, 0, 0, null, null, null, null)));
            assertThat(first).isEqualTo(new Delivery.First());
            assertThat(real.getAutoCommit()).isTrue();
            assertThatThrownBy(() -> transactions.<Object>inTransaction(unit -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(real.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aRollbackThatFailsTooIsAStorageExceptionThatKeepsTheCause() throws Exception {
        try (Connection real = SharedOrderDatabase.dataSource().getConnection();
                OrderStore store = OrderStore.open(reusing(real, true))) {
            var transactions = store.transactions("/test");
            assertThatThrownBy(() -> transactions.<Object>inTransaction(unit -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(StorageException.class).satisfies(e -> assertThat(e.getSuppressed())
                    .singleElement().satisfies(s -> assertThat(s).hasMessage("boom")));
        }
    }

    @Test
    void anUnreachableDatabaseIsAStorageException() {
        var nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/orders");
        nowhere.setConnectTimeout(2);
        try (OrderStore store = OrderStore.open(nowhere)) {
            assertThatThrownBy(() -> new GetOrder(store.transactions("/test")).get(UUID.randomUUID()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("Failed to obtain JDBC Connection");
        }
    }

    @Test
    void aFailedStatementIsAStorageExceptionWithItsSqlState() {
        Transactions transactions = SharedOrderDatabase.orderStore().transactions("/test");
        Order order = Order.place(UUID.randomUUID(), draft(), Instant.parse("2026-01-01T00:00:00Z"));
        transactions.inTransaction(unit -> {
            unit.orders().insert(order);
            return null;
        });
        assertThatThrownBy(() -> transactions.inTransaction(unit -> {
            unit.orders().insert(order);
            return null;
        })).isInstanceOf(StorageException.class).satisfies(e -> assertThat(chain(e))
                .anySatisfy(t -> assertThat(t).isInstanceOfSatisfying(SQLException.class,
                        sql -> assertThat(sql.getSQLState()).isEqualTo("23505"))));
    }

    @Test
    void anIdempotencyKeyIsClaimedOnceThenAnswersWithTheFirstRequest() {
        Transactions transactions = SharedOrderDatabase.orderStore().transactions("/test");
        String key = UUID.randomUUID().toString();
        UUID first = UUID.randomUUID();
        class RollBack extends RuntimeException {
        }
        assertThatThrownBy(() -> transactions.inTransaction(unit -> {
            assertThat(unit.idempotencyKeys().claim(key, "fingerprint-1", first))
                    .isInstanceOf(IdempotencyKeys.Claim.Claimed.class);
            assertThat(unit.idempotencyKeys().claim(key, "fingerprint-2", UUID.randomUUID()))
                    .isEqualTo(new IdempotencyKeys.Claim.AlreadyUsed("fingerprint-1", first));
            throw new RollBack(); // the key points at no order: leave nothing behind
        })).isInstanceOf(RollBack.class);
        assertThat(SharedOrderDatabase.count("select count(*) from idempotency_keys where idempotency_key = ?", key))
                .isZero();
    }

    /** Instants before the Gregorian reform are stored and read as the same instant (see {@link InstantColumn}). */
    @Test
    void earlyInstantsAreStoredAndReadExactly() {
        Transactions transactions = SharedOrderDatabase.orderStore().transactions("/test");
        for (String time : List.of("0001-01-01T00:00:00Z", "1000-06-15T12:00:00.000001Z", "1582-10-10T00:00:00Z",
                "1582-10-04T23:59:59.999999Z", "1900-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
            Instant at = Instant.parse(time);
            Order order = Order.place(UUID.randomUUID(), draft(), at);
            transactions.inTransaction(unit -> {
                unit.orders().insert(order);
                Order locked = unit.orders().findForUpdate(order.id()).orElseThrow();
                assertThat(locked.cancel("early", at)).isTrue();
                return unit.orders().update(locked);
            });
            Order read = new GetOrder(transactions).get(order.id()).orElseThrow();
            assertThat(read.createdAt()).as(time).isEqualTo(at);
            assertThat(read.cancelledAt()).as(time).isEqualTo(at);
            assertThat(SharedOrderDatabase.count(
                    "select floor(extract(epoch from cancelled_at))::bigint from orders where id = ?", order.id()))
                    .as(time).isEqualTo(at.getEpochSecond());
        }
    }

    private static OrderDraft draft() {
        return new OrderDraft(UUID.randomUUID(), List.of(
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("5.00"))));
    }

    private static List<Throwable> chain(Throwable e) {
        var all = new java.util.ArrayList<Throwable>();
        for (Throwable t = e; t != null && all.size() < 20; t = t.getCause()) {
            all.add(t);
            all.addAll(List.of(t.getSuppressed()));
        }
        return all;
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
