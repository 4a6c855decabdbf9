package com.example.order.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Event {@code order.created}: an order was accepted. Its JSON form is defined in {@code com.example.order.events}. */
public record OrderCreated(UUID eventId, UUID orderId, UUID customerId, BigDecimal totalAmount, List<OrderItem> items,
        Instant occurredAt) implements OrderEvent {

    public static final String TYPE = "order.created";

    public OrderCreated {
        items = List.copyOf(items);
    }

    public static OrderCreated of(UUID eventId, Order order) {
        return new OrderCreated(eventId, order.id(), order.customerId(), order.total(), order.items(), order.createdAt());
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}
