package com.example.relay;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What one reconciliation run returns (and logs): the number of findings per kind, their total, and the parameters
 * (ISO-8601 durations). Each count is capped at {@code Reconciliation.LIMIT_PER_KIND}. With the CDC relay
 * ({@code cdcSlot} not null) {@code unpublishedTooLong} is always 0 and {@code cdcSlotProblems} is 1 when the slot is
 * missing or nobody reads it.
 */
@Serdeable
public record ReconciliationSummary(long ordersWithoutCreatedEvent, long unpublishedTooLong, long orderEventsWithoutOrder,
                                    long cdcSlotProblems, long drift, String pendingThreshold, String checkableWindow,
                                    String cdcSlot) {
}
