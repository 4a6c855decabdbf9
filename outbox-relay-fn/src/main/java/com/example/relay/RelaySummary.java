package com.example.relay;

import com.example.outbox.BacklogStats;
import com.example.outbox.RelayRun;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What one relay invocation did: the function's response (JSON, small enough to read in the Lambda console), its
 * log line and its metrics ({@link RelayMetrics}). Its single reason to exist next to the library's {@link RelayRun}:
 * an invocation is more than its drains, it also knows the backlog left, the retention pass and its trigger, which
 * the library cannot.
 *
 * @param published         rows acknowledged by Kafka and marked published in this invocation
 * @param parked            rows parked in this invocation
 * @param retried           rows put back for a retry
 * @param batches           batches processed
 * @param publishFailures   sends that failed
 * @param claimsLost        batches given up because their claim expired (a stalled relay)
 * @param abandoned         rows of batches abandoned unmarked for lack of time (sent again later)
 * @param backlog           rows still pending when the invocation ended ({@code -1} if the stats were unavailable)
 * @param parkedTotal       parked rows in the outbox ({@code -1} if the stats were unavailable)
 * @param relayLagMillis    age of the oldest pending row at the end (0 if none)
 * @param retentionDeleted  published-log entries deleted by retention
 * @param durationMillis    wall time of the drains
 * @param stopReason        IDLE or OUT_OF_TIME
 * @param trigger           what invoked it
 */
@Serdeable
public record RelaySummary(long published, long parked, long retried, long batches, long publishFailures,
        long claimsLost, long abandoned, long backlog, long parkedTotal, long relayLagMillis, long retentionDeleted,
        long durationMillis, String stopReason, String trigger) {

    static RelaySummary of(RelayRun run, BacklogStats backlog, long retentionDeleted, String trigger) {
        return new RelaySummary(run.published(), run.parked(), run.retried(), run.batches(), run.publishFailures(),
                run.claimsLost(), run.abandoned(), backlog.pending(), backlog.parked(),
                backlog.oldestPendingAge().toMillis(), retentionDeleted, run.duration().toMillis(),
                run.stopReason().name(), trigger);
    }
}
