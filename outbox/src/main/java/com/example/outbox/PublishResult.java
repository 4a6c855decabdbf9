package com.example.outbox;

import java.util.Objects;

/**
 * What happened to one message handed to a {@link MessagePublisher}: the publisher SPI's answer, one per message,
 * which the claimer records ({@link ClaimedBatch#complete}) and the relay counts into its {@link RelayRun}.
 *
 * @param message the message
 * @param outcome acknowledged, failed for a reason outside the message (retry later, it does not count as an
 *                attempt), or rejected because of the message itself (counts towards parking)
 * @param error   why it failed; {@code null} when acknowledged
 */
public record PublishResult(PendingMessage message, Outcome outcome, String error) {

    public enum Outcome {
        /** The broker acknowledged the message with the publisher's durability settings ({@code acks=all}). */
        ACKED,
        /** Broker unreachable, timed out, not authorised yet, ...: nothing wrong with the message. */
        TRANSIENT_FAILURE,
        /** The message itself cannot be published (too large, invalid, ...): retried with backoff, then parked. */
        REJECTED
    }

    public PublishResult {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static PublishResult acked(PendingMessage message) {
        return new PublishResult(message, Outcome.ACKED, null);
    }

    public static PublishResult transientFailure(PendingMessage message, String error) {
        return new PublishResult(message, Outcome.TRANSIENT_FAILURE, error);
    }

    public static PublishResult rejected(PendingMessage message, String error) {
        return new PublishResult(message, Outcome.REJECTED, error);
    }

    public boolean acked() {
        return outcome == Outcome.ACKED;
    }
}
