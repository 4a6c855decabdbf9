package com.example.order.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.order.app.ConcurrentUpdateException;
import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.app.Delivery;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.GetOrder;
import com.example.order.app.TraceContext;
import com.example.order.app.Transactions;
import com.example.order.domain.Order;
import com.example.order.domain.OrderDraft;
import com.example.order.domain.OrderStatus;
import com.example.order.testing.SharedOrderDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import javax.sql.DataSource;

/** The Micronaut Data adapters, their transactions and the create use case against a real PostgreSQL. */
class OrderStoreTest {

    private static final ReceivedMessage MESSAGE = new ReceivedMessage("order.cancelled", 0, 1, 1L, "CREATE_TIME",
            null, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.List.of());

    static DataSource dataSource;
    static Transactions transactions;
    static CreateOrder createOrder;

    @BeforeAll
    static void migrate() {
        dataSource = SharedOrderDatabase.dataSource();
        transactions = SharedOrderDatabase.orderStore().transactions("/order-service/test");
        createOrder = new CreateOrder(transactions, Clock.systemUTC());
    }

    static OrderDraft draft() {
        return new OrderDraft(UUID.randomUUID(), List.of(
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.TWO, new BigDecimal("10.25")),
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("3"))));
    }

    @Test
    void createdOrderRoundTripsAndItsEventIsInTheOutbox() throws Exception {
        var result = createOrder.create(new CreateOrderCommand(draft(), null, new TraceContext("00-trace-01", "corr-1")));
        Order created = ((CreateOrderResult.Created) result).order();

        Order read = new GetOrder(transactions).get(created.id()).orElseThrow();
        assertThat(read.total()).isEqualTo(new BigDecimal("23.50"));
        assertThat(read.items()).isEqualTo(created.items());
        assertThat(read.createdAt()).isEqualTo(created.createdAt());
        assertThat(read.status()).isEqualTo(OrderStatus.CREATED);

        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                "select event_type, source, payload, headers->>'traceparent', headers->>'x-correlation-id', occurred_at"
                        + " from outbox_message where aggregate_id = ?")) {
            s.setString(1, created.id().toString());
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("order.created");
                assertThat(rs.getString(2)).isEqualTo("/order-service/test");
                String payload = new String(rs.getBytes(3), StandardCharsets.UTF_8);
                assertThat(payload).startsWith("{\"eventId\":\"")
                        .contains("\"orderId\":\"" + created.id() + "\"")
                        .contains("\"totalAmount\":23.50")
                        .contains("\"quantity\":2,\"unitPrice\":10.25}").contains("\"unitPrice\":3.00}")
                        .contains("\"occurredAt\":\"" + created.createdAt() + "\"");
                assertThat(rs.getString(4)).isEqualTo("00-trace-01");
                assertThat(rs.getString(5)).isEqualTo("corr-1");
                assertThat(rs.getTimestamp(6).toInstant()).isEqualTo(created.createdAt());
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void idempotencyKeyReplaysSameRequestAndRejectsDifferentOne() {
        String key = "key-" + UUID.randomUUID();
        OrderDraft draft = draft();
        var first = (CreateOrderResult.Created) createOrder.create(new CreateOrderCommand(draft, key, null));
        var again = createOrder.create(new CreateOrderCommand(draft, key, null));
        assertThat(again).isInstanceOf(CreateOrderResult.Replayed.class);
        assertThat(((CreateOrderResult.Replayed) again).order().id()).isEqualTo(first.order().id());

        var other = createOrder.create(new CreateOrderCommand(draft(), key, null));
        assertThat(other).isEqualTo(new CreateOrderResult.IdempotencyKeyReused(key, first.order().id()));
    }

    @Test
    void cancelFlowLocksUpdatesWithVersionCheckAndAppendsInboxInOneTransaction() {
        var created = ((CreateOrderResult.Created) createOrder.create(new CreateOrderCommand(draft(), null, null))).order();
        String inboxKey = UUID.randomUUID().toString();
        long newVersion = transactions.inTransaction(unit -> {
            assertThat(unit.receive("test-consumer", inboxKey, MESSAGE)).isEqualTo(new Delivery.First());
            Order order = unit.orders().findForUpdate(created.id()).orElseThrow();
            assertThat(order.cancel("test", Instant.now())).isTrue();
            return unit.orders().update(order);
        });
        assertThat(newVersion).isEqualTo(1);
        Order cancelled = new GetOrder(transactions).get(created.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.cancelReason()).isEqualTo("test");
        assertThat(cancelled.version()).isEqualTo(1);

        // A stale copy (version 0) must not overwrite the newer row.
        assertThatThrownBy(() -> transactions.inTransaction(unit -> unit.orders().update(created)))
                .isInstanceOf(ConcurrentUpdateException.class);
        Delivery redelivered = transactions.inTransaction(unit -> unit.receive("test-consumer", inboxKey, MESSAGE));
        assertThat(redelivered).isEqualTo(new Delivery.Duplicate(true));
    }

    @Test
    void anExceptionInsideTheWorkRollsEverythingBack() {
        var draft = draft();
        UUID orderId = UUID.randomUUID();
        assertThatThrownBy(() -> transactions.inTransaction(unit -> {
            unit.orders().insert(Order.place(orderId, draft, Instant.now()));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(new GetOrder(transactions).get(orderId)).isEmpty();
    }
}
