package com.example.createorder;

import com.example.order.domain.Order;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON view of an order, returned by POST (201) and GET. Amounts are JSON numbers with 2 decimals. */
@Serdeable
record OrderResponse(UUID orderId, UUID customerId, String status, BigDecimal totalAmount, List<Item> items,
        Instant createdAt, Instant updatedAt, long version, @Nullable String cancelReason, @Nullable Instant cancelledAt) {

    @Serdeable
    record Item(UUID productId, int quantity, BigDecimal unitPrice) {
    }

    static OrderResponse of(Order order) {
        return new OrderResponse(order.id(), order.customerId(), order.status().name(), order.total(),
                order.items().stream().map(i -> new Item(i.productId(), i.quantity(), i.unitPrice())).toList(),
                order.createdAt(), order.updatedAt(), order.version(), order.cancelReason(), order.cancelledAt());
    }
}
