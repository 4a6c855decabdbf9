package com.example.outbox;

/**
 * What {@link ClaimedBatch#complete} recorded.
 *
 * @param published rows marked published (acknowledged by the broker)
 * @param retried   rows put back with a backoff (transient failure, or a rejection below the attempt limit)
 * @param parked    rows that reached the attempt limit and were parked
 * @param transientFailures how many of the retried rows failed for a reason outside the message
 */
public record BatchOutcome(int published, int retried, int parked, int transientFailures) {
}
