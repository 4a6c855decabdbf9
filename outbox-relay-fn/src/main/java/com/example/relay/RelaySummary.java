package com.example.relay;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What the function returns (and logs): small enough to read in the Lambda console.
 *
 * @param published         rows acknowledged by Kafka and marked published in this invocation
 * @param parked            rows parked in this invocation
 * @param retried           rows put back for a retry
 * @param batches           batches processed
 * @param publishFailures   sends that failed
 * @param backlog           rows still pending when the invocation ended
 * @param parkedTotal       parked rows in the outbox
 * @param relayLagMillis    age of the oldest pending row at the end (0 if none)
 * @param retentionDeleted  published rows deleted by retention
 * @param durationMillis    wall time of the invocation
 * @param stopReason        IDLE or OUT_OF_TIME
 * @param trigger           what invoked it
 */
@Serdeable
public record RelaySummary(long published, long parked, long retried, long batches, long publishFailures,
        long backlog, long parkedTotal, long relayLagMillis, long retentionDeleted, long durationMillis,
        String stopReason, String trigger) {
}
