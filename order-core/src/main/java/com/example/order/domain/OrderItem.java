package com.example.order.domain;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of an order. Only ever built from values that passed {@link OrderRules}; the unit price has scale 2.
 *
 * @param productId what was ordered
 * @param quantity  how many, 1..{@link OrderRules#MAX_QUANTITY}
 * @param unitPrice price of one, scale 2, 0.01..{@link OrderRules#MAX_UNIT_PRICE}
 */
public record OrderItem(UUID productId, int quantity, BigDecimal unitPrice) {

    public OrderItem {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(unitPrice, "unitPrice");
        unitPrice = Money.of(unitPrice);
    }

    /** quantity x unitPrice, scale 2 (exact: an integer times a scale-2 amount). */
    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
