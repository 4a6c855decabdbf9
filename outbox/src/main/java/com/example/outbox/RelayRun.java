package com.example.outbox;

import java.time.Duration;

/**
 * What one {@link OutboxRelay#drain} run did: the relay library's only result type. Its single reason to exist is
 * to report a drain to whoever runs it (a Lambda function, a scheduled job, a test) without the library knowing how
 * that caller reports further (the relay function turns it into its {@code RelaySummary}). Per message the
 * publisher answers with {@link PublishResult}; per batch nothing is returned but the number parked
 * ({@link ClaimedBatch#complete}), since the rest follows from the publish results.
 *
 * @param published        rows acknowledged by the broker and marked published
 * @param parked           rows parked in this run
 * @param retried          rows put back for a later retry
 * @param batches          non-empty batches processed
 * @param publishFailures  sends that failed (transient or rejected)
 * @param claimsLost       batches abandoned because their claim expired (a stalled, "zombie" relay)
 * @param abandoned        rows of batches abandoned unmarked because their acknowledgements did not arrive within the
 *                         time left; they stay pending and are sent again later (possibly a duplicate, never a loss)
 * @param duration         wall time of the run
 * @param stopReason       why it stopped
 */
public record RelayRun(long published, long parked, long retried, long batches, long publishFailures,
        long claimsLost, long abandoned, Duration duration, StopReason stopReason) {

    /**
     * This run followed by {@code later} as one: counts and durations add up, the stop reason is the later run's
     * (for example a drain and the last look after it, ADR 0014).
     */
    public RelayRun plus(RelayRun later) {
        return new RelayRun(published + later.published, parked + later.parked, retried + later.retried,
                batches + later.batches, publishFailures + later.publishFailures, claimsLost + later.claimsLost,
                abandoned + later.abandoned, duration.plus(later.duration), later.stopReason);
    }

    public enum StopReason {
        /** Nothing new arrived within the idle limit. */
        IDLE,
        /** Remaining time fell to the claim floor: the safety margin, or for a short run the minimum budget. */
        OUT_OF_TIME
    }
}
