package com.example.order.app;

import com.example.order.domain.Order;
import com.example.order.domain.OrderCreated;
import com.example.order.domain.OrderRules;
import com.example.order.domain.Violation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Use case: accept an order. In one transaction it claims the idempotency key (if given), inserts the order with
 * its items and appends {@code order.created} to the outbox; either all of that commits or none of it.
 */
public final class CreateOrder {

    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    public static final String IDEMPOTENCY_KEY_FIELD = "Idempotency-Key";

    private final Transactions transactions;
    private final Clock clock;

    public CreateOrder(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
    }

    public CreateOrderResult create(CreateOrderCommand command) {
        List<Violation> violations = new ArrayList<>(OrderRules.check(command.draft()));
        String key = command.idempotencyKey();
        if (key != null && !isValidKey(key)) {
            violations.add(new Violation(IDEMPOTENCY_KEY_FIELD,
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters"));
        }
        if (!violations.isEmpty()) {
            return new CreateOrderResult.Rejected(violations);
        }
        // PostgreSQL keeps microseconds; truncating here makes the returned order equal to the stored one.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Order order = Order.place(UUID.randomUUID(), command.draft(), now);
        // Only a keyed request is ever compared with another (SHA-256 over the canonical request: not free).
        String fingerprint = key == null ? null : RequestFingerprint.of(command.draft());

        return transactions.inTransaction(unit -> {
            if (key != null) {
                var claim = unit.idempotencyKeys().claim(key, fingerprint, order.id());
                if (claim instanceof IdempotencyKeys.Claim.AlreadyUsed used) {
                    if (!used.requestFingerprint().equals(fingerprint)) {
                        return new CreateOrderResult.IdempotencyKeyReused(key, used.orderId());
                    }
                    Order original = unit.orders().find(used.orderId()).orElseThrow(() -> new IllegalStateException(
                            "Idempotency key " + key + " points at missing order " + used.orderId()));
                    return new CreateOrderResult.Replayed(original);
                }
            }
            unit.orders().insert(order);
            unit.appendToOutbox(OrderCreated.of(UUID.randomUUID(), order), command.trace());
            return new CreateOrderResult.Created(order);
        });
    }

    /** The Idempotency-Key rule: 1 to {@value #MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (0x21 to 0x7E). */
    public static boolean isValidKey(String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            return false;
        }
        return key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }
}
