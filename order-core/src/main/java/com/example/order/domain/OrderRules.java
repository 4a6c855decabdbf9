package com.example.order.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** What makes an order acceptable. Every violation names the offending field, e.g. {@code items[3].unitPrice}. */
public final class OrderRules {

    public static final int MAX_ITEMS = 100;
    public static final int MAX_QUANTITY = 10_000;
    public static final BigDecimal MIN_UNIT_PRICE = new BigDecimal("0.01");
    public static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000.00");

    private OrderRules() {
    }

    /** @return all violations of the draft; empty if it may become an order */
    public static List<Violation> check(OrderDraft draft) {
        var violations = new ArrayList<Violation>();
        if (draft.customerId() == null) {
            violations.add(new Violation("customerId", "is required and must be a UUID"));
        }
        List<OrderDraft.Line> items = draft.items();
        if (items == null) {
            violations.add(new Violation("items", "is required and must be an array of 1 to " + MAX_ITEMS + " items"));
            return violations;
        }
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            violations.add(new Violation("items", "must contain 1 to " + MAX_ITEMS + " items, got " + items.size()));
            return violations;
        }
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            OrderDraft.Line line = items.get(i);
            if (line == null) {
                violations.add(new Violation(at, "must be an object"));
                continue;
            }
            if (line.productId() == null) {
                violations.add(new Violation(at + ".productId", "is required and must be a UUID"));
            }
            BigInteger quantity = line.quantity();
            if (quantity == null) {
                violations.add(new Violation(at + ".quantity", "is required and must be an integer"));
            } else if (quantity.signum() <= 0 || quantity.compareTo(BigInteger.valueOf(MAX_QUANTITY)) > 0) {
                violations.add(new Violation(at + ".quantity", "must be between 1 and " + MAX_QUANTITY));
            }
            BigDecimal price = line.unitPrice();
            if (price == null) {
                violations.add(new Violation(at + ".unitPrice", "is required and must be a decimal number"));
            } else if (!Money.hasAtMostTwoDecimals(price)) {
                violations.add(new Violation(at + ".unitPrice", "must have at most 2 decimal places"));
            } else if (price.compareTo(MIN_UNIT_PRICE) < 0 || price.compareTo(MAX_UNIT_PRICE) > 0) {
                violations.add(new Violation(at + ".unitPrice",
                        "must be between " + MIN_UNIT_PRICE + " and " + MAX_UNIT_PRICE.toPlainString()));
            }
        }
        return violations;
    }
}
