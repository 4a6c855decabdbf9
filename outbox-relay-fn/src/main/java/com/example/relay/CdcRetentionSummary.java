package com.example.relay;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What one CDC retention run returns (and logs).
 *
 * @param deleted      outbox rows deleted
 * @param slot         the replication slot that had to confirm them
 * @param retentionAge rows younger than this (ISO-8601) were not candidates
 * @param durationMs   how long the run took, waiting for the slot included
 * @param trigger      what started it ({@link RelayTrigger#describe()})
 */
@Serdeable
public record CdcRetentionSummary(long deleted, String slot, String retentionAge, long durationMs, String trigger) {
}
