package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Forgets a consumer's old inbox entries, so {@code inbox_message} does not grow forever. Run by the consumer that
 * owns the entries, never by the relay: each function trims only its own tables (ADR 0026).
 *
 * <p>An entry is what makes a redelivered message a no-op ({@link Inbox}). Once it is deleted, a redelivery of that
 * message would be applied again, so {@code age} must exceed the <em>dedupe horizon</em>: the longest the source can
 * deliver a message again (for Kafka, the topic's {@code retention.ms}: a replay from an old offset or a consumer
 * group reset can reach back that far, and no further). {@link #requireBeyondHorizon} states that rule once. Age alone
 * is enough for a reused key's conflict entries too: {@link Inbox#receive} renews the key's entry whenever it records
 * one, so the key's entry is never the older of the two.
 *
 * <p>Contract: only entries of {@code consumer} received longer ago than {@code age} are deleted; deletion happens in
 * short auto-committed statements of at most {@code batchSize} rows each (at least one statement), oldest first, and
 * no new statement starts once {@code budget} is used up, so it never holds locks long enough to slow the consumer's
 * own transactions. Two runs at once skip each other's rows instead of waiting.
 */
public interface InboxRetention {

    /**
     * @param consumer  the consumer whose entries to forget ({@code inbox_message.consumer})
     * @param age       entries received longer ago than this are deleted; must exceed the dedupe horizon
     * @param batchSize rows per statement, at least 1
     * @param budget    no new statement starts after this much time; {@link Duration#ZERO} runs exactly one
     * @return how many entries were deleted
     * @throws RetentionFailedException when a statement fails; it carries how many entries the earlier statements of
     *                                  this run deleted (committed, so they stay deleted)
     * @throws SQLException             from implementations that cannot say (the default one always can)
     */
    int deleteOlderThan(String consumer, Duration age, int batchSize, Duration budget) throws SQLException;

    /**
     * The retention rule: an entry may be forgotten only after its message can no longer be delivered again.
     *
     * @param age            the inbox retention age
     * @param dedupeHorizon  the longest the source can redeliver a message (for Kafka: the topic's retention)
     * @throws IllegalArgumentException if {@code age} does not exceed {@code dedupeHorizon}, or either is not positive
     */
    static void requireBeyondHorizon(Duration age, Duration dedupeHorizon) {
        if (dedupeHorizon == null || dedupeHorizon.isNegative() || dedupeHorizon.isZero()) {
            throw new IllegalArgumentException("the dedupe horizon must be a positive duration, got " + dedupeHorizon);
        }
        if (age == null || age.compareTo(dedupeHorizon) <= 0) {
            throw new IllegalArgumentException("inbox retention age " + age + " must exceed the dedupe horizon "
                    + dedupeHorizon + " (how long the source can deliver a message again): a message redelivered after"
                    + " its inbox entry is gone would be applied twice");
        }
    }
}
