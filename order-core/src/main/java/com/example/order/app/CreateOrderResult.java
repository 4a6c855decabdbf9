package com.example.order.app;

import com.example.order.domain.Order;
import com.example.order.domain.Violation;
import java.util.List;
import java.util.UUID;

/** What {@link CreateOrder} did. */
public sealed interface CreateOrderResult {

    /** A new order, its items, its {@code order.created} event and its idempotency key (if any) were committed. */
    record Created(Order order) implements CreateOrderResult {
    }

    /** The idempotency key was used before by the same request: this is the original order; nothing was written. */
    record Replayed(Order order) implements CreateOrderResult {
    }

    /** The idempotency key was used before by a different request; nothing was written. */
    record IdempotencyKeyReused(String idempotencyKey, UUID originalOrderId) implements CreateOrderResult {
    }

    /** The request breaks the rules; nothing was written. */
    record Rejected(List<Violation> violations) implements CreateOrderResult {
        public Rejected {
            violations = List.copyOf(violations);
        }

        public static Rejected of(Violation violation) {
            return new Rejected(List.of(violation));
        }
    }
}
