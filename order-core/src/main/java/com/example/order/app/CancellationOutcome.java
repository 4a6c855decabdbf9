package com.example.order.app;

/** What {@link ApplyCancellation} did with one message. Every outcome is final: none of them needs a retry. */
public enum CancellationOutcome {
    /** The order went CREATED -> CANCELLED; the message is recorded in the inbox. */
    APPLIED,
    /** The order was already cancelled: nothing changed (the first reason and time stay); the message is recorded. */
    ALREADY_CANCELLED,
    /** The inbox had seen this message before: nothing was written. */
    DUPLICATE,
    /** The message is unusable (malformed, unknown order, ...): it went to the dead letters; the message is recorded. */
    DEAD_LETTERED
}
