package com.example.order.data;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.math.BigDecimal;
import java.util.UUID;

/** One row of table {@code order_items}: line {@code lineNo} (0-based, the client's item order) of an order. */
@MappedEntity("order_items")
public record OrderItemRow(@EmbeddedId Key key, UUID productId, int quantity, BigDecimal unitPrice) {

    /** The primary key (order_id, line_no). */
    @Embeddable
    public record Key(@MappedProperty("order_id") UUID orderId, @MappedProperty("line_no") int lineNo) {
    }
}
