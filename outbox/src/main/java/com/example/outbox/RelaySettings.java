package com.example.outbox;

import java.time.Duration;

/**
 * Tuning of one {@link OutboxRelay#drain} run.
 *
 * @param batchSize      rows claimed per batch
 * @param safetyMargin   stop claiming when less than this time is left; must exceed one batch's worst case
 *                       (the producer's delivery timeout), so a batch is never cut off by the Lambda timeout
 * @param idleLimit      once the outbox is empty, keep polling for new rows this long before returning
 *                       ({@code Duration.ZERO}: return as soon as it is empty)
 * @param idlePollMin    first poll interval while idle; doubles up to {@code idlePollMax}
 * @param idlePollMax    longest poll interval while idle
 * @param outageBackoffMax longest wait after a batch in which the broker or database was unavailable
 * @param batchesInFlight 1: one batch at a time (default); 2: claim and send the next batch while the previous one
 *                       waits for its acknowledgements (needs two database connections; pays off when the database
 *                       and broker are remote, not when they share the relay's CPU: docs/benchmarks.md)
 */
public record RelaySettings(int batchSize, Duration safetyMargin, Duration idleLimit, Duration idlePollMin,
        Duration idlePollMax, Duration outageBackoffMax, int batchesInFlight) {

    public RelaySettings {
        if (batchesInFlight < 1 || batchesInFlight > 2) {
            throw new IllegalArgumentException("batchesInFlight must be 1 or 2, was " + batchesInFlight);
        }
    }

    /** One batch in flight. */
    public RelaySettings(int batchSize, Duration safetyMargin, Duration idleLimit, Duration idlePollMin,
            Duration idlePollMax, Duration outageBackoffMax) {
        this(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, 1);
    }

    public static RelaySettings defaults() {
        return new RelaySettings(2000, Duration.ofSeconds(25), Duration.ofSeconds(10), Duration.ofMillis(5),
                Duration.ofMillis(100), Duration.ofSeconds(5), 1);
    }

    public RelaySettings withBatchesInFlight(int batches) {
        return new RelaySettings(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, batches);
    }

    public RelaySettings withIdleLimit(Duration idle) {
        return new RelaySettings(batchSize, safetyMargin, idle, idlePollMin, idlePollMax, outageBackoffMax, batchesInFlight);
    }

    public RelaySettings withSafetyMargin(Duration margin) {
        return new RelaySettings(batchSize, margin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, batchesInFlight);
    }

    public RelaySettings withBatchSize(int size) {
        return new RelaySettings(size, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, batchesInFlight);
    }
}
