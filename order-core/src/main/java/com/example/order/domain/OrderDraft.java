package com.example.order.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

/**
 * An order as a client asked for it, before {@link OrderRules} checked it. Any field may be null or out of range:
 * a parser fills in what it could read, and the rules name what is wrong.
 *
 * @param customerId who orders; required
 * @param items      the lines; 1..{@link OrderRules#MAX_ITEMS}
 */
public record OrderDraft(UUID customerId, List<Line> items) {

    /**
     * A requested line. {@code quantity} is a {@link BigInteger} so that an absurd number is reported as "too large"
     * rather than failing somewhere as an overflow.
     */
    public record Line(UUID productId, BigInteger quantity, BigDecimal unitPrice) {
    }
}
