package com.example.cancel;

import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.domain.OrderDraft;
import com.example.order.testing.SharedOrderDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Orders to cancel, created with the real use case, and what the database says about them. */
final class TestOrders {

    private TestOrders() {
    }

    static UUID create() {
        var createOrder = new CreateOrder(SharedOrderDatabase.orderStore().transactions("/test"), Clock.systemUTC());
        var draft = new OrderDraft(UUID.randomUUID(),
                List.of(new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("9.99"))));
        var result = (CreateOrderResult.Created) createOrder.create(new CreateOrderCommand(draft, null, null));
        return result.order().id();
    }

    /** status, cancel_reason, cancelled_at, version. */
    static Map<String, Object> row(UUID orderId) {
        return TestDatabase.single("select status, cancel_reason, cancelled_at, version from orders where id = ?", orderId);
    }

    static String status(UUID orderId) {
        return (String) row(orderId).get("status");
    }

    static long inboxEntries(String inboxKey) {
        return TestDatabase.count("select count(*) from inbox_message where consumer = 'cancel-consumer-fn' and message_key = ?",
                inboxKey);
    }

    /** Dead letters (outbox rows of type order.cancelled.dlq) for a source position. */
    static List<Map<String, Object>> deadLetters(String topic, int partition, long offset) {
        return TestDatabase.rows("select message_id, aggregate_id, payload, headers::text as headers, source from outbox_message"
                + " where event_type = 'order.cancelled.dlq' and headers->>'dlq-source-topic' = ?"
                + " and headers->>'dlq-source-partition' = ? and headers->>'dlq-source-offset' = ?",
                topic, Integer.toString(partition), Long.toString(offset));
    }
}
