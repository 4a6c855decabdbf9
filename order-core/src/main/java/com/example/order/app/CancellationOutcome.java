package com.example.order.app;

/** What {@link ApplyCancellation} did with one message. Every outcome is final: none of them needs a retry. */
public enum CancellationOutcome {
    /** The order went CREATED -> CANCELLED; the message is recorded in the inbox. */
    APPLIED,
    /** The order was already cancelled: nothing changed (the first reason and time stay); the message is recorded. */
    ALREADY_CANCELLED,
    /** The inbox had seen this message (same key, same content) before: nothing was written. */
    DUPLICATE,
    /**
     * The inbox had seen the key before, in an entry written before content fingerprints (ADR 0027), so the contents
     * could not be compared: skipped as a duplicate, as before; nothing was written.
     */
    UNVERIFIED_DUPLICATE,
    /**
     * The inbox had seen the key before with other content: a different message reusing the id. It was not applied;
     * it went to the dead letters as {@code ID_REUSED_WITH_DIFFERENT_CONTENT}, under the inbox's conflict key.
     */
    ID_REUSED,
    /**
     * The cancellation's time was before its order's creation or after now, beyond the clock-skew leeway: nothing
     * changed; it went to the dead letters as {@code IMPLAUSIBLE_TIME}; the message is recorded.
     */
    IMPLAUSIBLE_TIME_DEAD_LETTERED,
    /** The message is unusable (malformed, unknown order, ...): it went to the dead letters; the message is recorded. */
    DEAD_LETTERED
}
