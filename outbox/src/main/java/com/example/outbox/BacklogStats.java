package com.example.outbox;

import java.time.Duration;

/**
 * A snapshot of the outbox's backlog.
 *
 * @param pending          rows waiting to be published (including those in backoff)
 * @param parked           rows the relay gave up on
 * @param oldestPendingAge age of the oldest pending row ("relay lag"); zero when nothing is pending
 */
public record BacklogStats(long pending, long parked, Duration oldestPendingAge) {
}
