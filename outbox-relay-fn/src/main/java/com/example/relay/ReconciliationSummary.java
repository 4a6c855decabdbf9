package com.example.relay;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What one reconciliation run returns (and logs): the number of findings per kind, their total, and the parameters
 * (ISO-8601 durations). Each count is capped at {@code Reconciliation.LIMIT_PER_KIND}.
 */
@Serdeable
public record ReconciliationSummary(long ordersWithoutCreatedEvent, long unpublishedTooLong, long orderEventsWithoutOrder,
                                    long drift, String pendingThreshold, String checkableWindow) {
}
