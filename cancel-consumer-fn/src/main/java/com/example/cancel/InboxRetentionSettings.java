package com.example.cancel;

import com.example.outbox.InboxRetention;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The consumer's {@code cancel-consumer.inbox-retention.*} settings: how it trims its own inbox entries (ADR 0026).
 * Checked when the function starts: a bad value fails the init, never a batch.
 *
 * @param age            entries received longer ago than this are deleted ({@code CANCEL_INBOX_RETENTION_AGE}, 30 d)
 * @param dedupeHorizon  the longest {@code order.cancelled} can deliver a message again: the topic's
 *                       {@code retention.ms} ({@code CANCEL_INBOX_DEDUPE_HORIZON}, 7 d); {@code age} must exceed it
 * @param interval       an execution environment runs retention after a batch at most this often (1 min)
 * @param batchSize      rows per delete statement (5,000)
 * @param budget         no delete statement starts after this much time in one pass (1 s)
 */
@ConfigurationProperties("cancel-consumer.inbox-retention")
public record InboxRetentionSettings(Duration age, Duration dedupeHorizon, Duration interval, int batchSize,
        Duration budget) {

    public InboxRetentionSettings {
        InboxRetention.requireBeyondHorizon(age, dedupeHorizon);
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("cancel-consumer.inbox-retention.interval must be 0 or more, got " + interval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("cancel-consumer.inbox-retention.batch-size must be at least 1, got " + batchSize);
        }
        if (budget == null || budget.isNegative()) {
            throw new IllegalArgumentException("cancel-consumer.inbox-retention.budget must be 0 or more, got " + budget);
        }
    }
}
