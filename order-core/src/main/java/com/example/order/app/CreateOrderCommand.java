package com.example.order.app;

import com.example.order.domain.OrderDraft;
import java.util.Objects;

/**
 * @param draft          the order as requested (may be invalid; {@link CreateOrder} reports violations)
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null for none
 * @param trace          tracing headers to pass on to the event
 */
public record CreateOrderCommand(OrderDraft draft, String idempotencyKey, TraceContext trace) {

    public CreateOrderCommand {
        Objects.requireNonNull(draft, "draft");
        trace = trace == null ? TraceContext.none() : trace;
    }
}
