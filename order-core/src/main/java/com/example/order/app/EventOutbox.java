package com.example.order.app;

import com.example.order.domain.OrderEvent;

/**
 * Appends order events to the transactional outbox.
 *
 * <p>Contract: {@link #append} stores the encoded event, keyed by its order id, with its CloudEvents metadata
 * (id = event id, type = event type, time = occurredAt, source = the adapter's configured source) and the
 * {@code traceparent} / {@code x-correlation-id} headers present in {@code trace}, in the unit of work's
 * transaction. The relay publishes it if and only if that transaction commits.
 */
public interface EventOutbox {

    void append(OrderEvent event, TraceContext trace);
}
