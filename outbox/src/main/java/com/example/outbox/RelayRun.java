package com.example.outbox;

import java.time.Duration;

/**
 * What one {@link OutboxRelay#drain} run did.
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

    public enum StopReason {
        /** Nothing new arrived within the idle limit. */
        IDLE,
        /** Remaining time fell to the claim floor: the safety margin, or for a short run the minimum budget. */
        OUT_OF_TIME
    }
}
