package com.example.order.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each limit of {@link OrderRules} checked on both sides of its edge. */
class OrderRulesBoundaryTest {

    @Test
    void itemCountIsOneToTheMaximum() {
        assertThat(OrderRules.check(draft(Collections.nCopies(OrderRules.MAX_ITEMS, line(1, "1.00"))))).isEmpty();
        assertThat(OrderRules.check(draft(Collections.nCopies(OrderRules.MAX_ITEMS + 1, line(1, "1.00")))))
                .extracting(Violation::field).containsExactly("items");
        assertThat(OrderRules.check(draft(List.of()))).extracting(Violation::field).containsExactly("items");
    }

    @Test
    void quantityIsOneToTheMaximum() {
        assertThat(OrderRules.check(draft(List.of(line(1, "1.00"))))).isEmpty();
        assertThat(OrderRules.check(draft(List.of(line(OrderRules.MAX_QUANTITY, "1.00"))))).isEmpty();
        assertThat(OrderRules.check(draft(List.of(line(0, "1.00"))))).extracting(Violation::field)
                .containsExactly("items[0].quantity");
        assertThat(OrderRules.check(draft(List.of(line(OrderRules.MAX_QUANTITY + 1, "1.00")))))
                .extracting(Violation::field).containsExactly("items[0].quantity");
    }

    @Test
    void unitPriceIsBetweenTheMinimumAndTheMaximum() {
        assertThat(OrderRules.check(draft(List.of(line(1, "0.01"))))).isEmpty();
        assertThat(OrderRules.check(draft(List.of(line(1, "1000000.00"))))).isEmpty();
        assertThat(OrderRules.check(draft(List.of(line(1, "0.00"))))).extracting(Violation::field)
                .containsExactly("items[0].unitPrice");
        assertThat(OrderRules.check(draft(List.of(line(1, "1000000.01"))))).extracting(Violation::field)
                .containsExactly("items[0].unitPrice");
    }

    private static OrderDraft draft(List<OrderDraft.Line> items) {
        return new OrderDraft(UUID.randomUUID(), items);
    }

    private static OrderDraft.Line line(int quantity, String price) {
        return new OrderDraft.Line(UUID.randomUUID(), BigInteger.valueOf(quantity), new BigDecimal(price));
    }
}
