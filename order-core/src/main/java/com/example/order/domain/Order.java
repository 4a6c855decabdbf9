package com.example.order.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The order aggregate. Its total is always computed here from the items, never taken from a client.
 *
 * <p>{@code version} is the version as stored: it is what an update must find in the database (optimistic
 * locking). A changed order is written with {@code version + 1} by the repository; this object is not updated.
 */
public final class Order {

    private final UUID id;
    private final UUID customerId;
    private final List<OrderItem> items;
    private final BigDecimal total;
    private final Instant createdAt;
    private final long version;
    private OrderStatus status;
    private Instant updatedAt;
    private String cancelReason;
    private Instant cancelledAt;

    private Order(UUID id, UUID customerId, List<OrderItem> items, OrderStatus status, Instant createdAt,
            Instant updatedAt, long version, String cancelReason, Instant cancelledAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.customerId = Objects.requireNonNull(customerId, "customerId");
        this.items = List.copyOf(items);
        this.total = computeTotal(this.items);
        this.status = Objects.requireNonNull(status, "status");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.version = version;
        this.cancelReason = cancelReason;
        this.cancelledAt = cancelledAt;
    }

    /**
     * A new order in status CREATED, version 0.
     *
     * @throws InvalidOrderException with every violation if the draft breaks {@link OrderRules}
     */
    public static Order place(UUID id, OrderDraft draft, Instant at) {
        List<Violation> violations = OrderRules.check(draft);
        if (!violations.isEmpty()) {
            throw new InvalidOrderException(violations);
        }
        List<OrderItem> items = draft.items().stream()
                .map(l -> new OrderItem(l.productId(), l.quantity().intValueExact(), l.unitPrice()))
                .toList();
        return new Order(id, draft.customerId(), items, OrderStatus.CREATED, at, at, 0, null, null);
    }

    /** Rebuilds a stored order (for repositories). Rules are not re-checked: what was stored was valid. */
    public static Order restore(UUID id, UUID customerId, List<OrderItem> items, OrderStatus status,
            Instant createdAt, Instant updatedAt, long version, String cancelReason, Instant cancelledAt) {
        return new Order(id, customerId, items, status, createdAt, updatedAt, version, cancelReason, cancelledAt);
    }

    /**
     * Cancels the order. Cancelling an already cancelled order is a no-op (the first reason and time stay).
     *
     * @return {@code true} if the order changed and must be saved, {@code false} if it was already cancelled
     */
    public boolean cancel(String reason, Instant at) {
        Objects.requireNonNull(at, "at");
        if (status == OrderStatus.CANCELLED) {
            return false;
        }
        status = OrderStatus.CANCELLED;
        cancelReason = reason;
        cancelledAt = at;
        updatedAt = at;
        return true;
    }

    private static BigDecimal computeTotal(List<OrderItem> items) {
        BigDecimal sum = BigDecimal.ZERO.setScale(Money.SCALE);
        for (OrderItem item : items) {
            sum = sum.add(item.lineTotal());
        }
        return sum;
    }

    public UUID id() {
        return id;
    }

    public UUID customerId() {
        return customerId;
    }

    public List<OrderItem> items() {
        return items;
    }

    /** Sum of quantity x unitPrice over the items, scale 2. */
    public BigDecimal total() {
        return total;
    }

    public OrderStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** The version as loaded from (or first written to) the database. */
    public long version() {
        return version;
    }

    /** Why it was cancelled; null unless CANCELLED (and possibly null then too). */
    public String cancelReason() {
        return cancelReason;
    }

    /** When it was cancelled; null unless CANCELLED. */
    public Instant cancelledAt() {
        return cancelledAt;
    }

    @Override
    public String toString() {
        return "Order[" + id + ", " + status + ", total=" + total + ", version=" + version + "]";
    }
}
