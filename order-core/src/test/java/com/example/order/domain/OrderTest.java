package com.example.order.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    static OrderDraft.Line line(long quantity, String price) {
        return new OrderDraft.Line(UUID.randomUUID(), BigInteger.valueOf(quantity), new BigDecimal(price));
    }

    @Test
    void totalIsComputedFromItemsWithScaleTwo() {
        var order = Order.place(UUID.randomUUID(),
                new OrderDraft(UUID.randomUUID(), List.of(line(3, "19.99"), line(1, "0.5"))), T0);
        assertThat(order.total()).isEqualByComparingTo("60.47");
        assertThat(order.total().scale()).isEqualTo(2);
        assertThat(order.items().get(1).unitPrice().toPlainString()).isEqualTo("0.50");
        assertThat(order.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(order.version()).isZero();
        assertThat(order.createdAt()).isEqualTo(T0).isEqualTo(order.updatedAt());
    }

    @Test
    void cancelMovesCreatedToCancelledOnceAndIsANoOpAfterwards() {
        var order = Order.place(UUID.randomUUID(), new OrderDraft(UUID.randomUUID(), List.of(line(1, "1.00"))), T0);
        assertThat(order.cancel("customer asked", T0.plusSeconds(5))).isTrue();
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.cancelReason()).isEqualTo("customer asked");
        assertThat(order.cancelledAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(order.updatedAt()).isEqualTo(T0.plusSeconds(5));

        assertThat(order.cancel("again", T0.plusSeconds(9))).isFalse();
        assertThat(order.cancelReason()).isEqualTo("customer asked");
        assertThat(order.cancelledAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void violationsNameTheOffendingFields() {
        var lines = new ArrayList<OrderDraft.Line>();
        lines.add(line(1, "1.00"));
        lines.add(new OrderDraft.Line(null, BigInteger.ZERO, new BigDecimal("1.001")));
        lines.add(line(10_001, "0"));
        lines.add(new OrderDraft.Line(UUID.randomUUID(), new BigInteger("99999999999999999999"), new BigDecimal("1000000.01")));
        lines.add(new OrderDraft.Line(UUID.randomUUID(), null, null));
        var violations = OrderRules.check(new OrderDraft(null, lines));
        assertThat(violations).extracting(Violation::field).containsExactly(
                "customerId",
                "items[1].productId", "items[1].quantity", "items[1].unitPrice",
                "items[2].quantity", "items[2].unitPrice",
                "items[3].quantity", "items[3].unitPrice",
                "items[4].quantity", "items[4].unitPrice");
        assertThatThrownBy(() -> Order.place(UUID.randomUUID(), new OrderDraft(null, lines), T0))
                .isInstanceOf(InvalidOrderException.class)
                .satisfies(e -> assertThat(((InvalidOrderException) e).violations()).hasSize(10));
    }

    @Test
    void itemCountMustBeOneToHundred() {
        assertThat(OrderRules.check(new OrderDraft(UUID.randomUUID(), List.of())))
                .extracting(Violation::field).containsExactly("items");
        assertThat(OrderRules.check(new OrderDraft(UUID.randomUUID(), null)))
                .extracting(Violation::field).containsExactly("items");
        assertThat(OrderRules.check(new OrderDraft(UUID.randomUUID(), Collections.nCopies(101, line(1, "1")))))
                .extracting(Violation::field).containsExactly("items");
        assertThat(OrderRules.check(new OrderDraft(UUID.randomUUID(), Collections.nCopies(100, line(10_000, "1000000.00")))))
                .isEmpty();
    }

    @Test
    void trailingZerosBeyondTwoDecimalsAreNotExtraPrecision() {
        assertThat(OrderRules.check(new OrderDraft(UUID.randomUUID(), List.of(line(1, "2.5000"))))).isEmpty();
    }
}
