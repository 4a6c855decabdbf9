package com.example.outbox;

/**
 * Asks for a relay run now, e.g. an asynchronous Lambda invoke of the relay function. Implementations return once
 * the request was accepted (not once the relay finished) and throw when it was not; they should bound their own
 * time. {@link RelayWakeUpOnCommit} decides when to call it and keeps its cost off the caller's request.
 */
@FunctionalInterface
public interface RelayWakeUp {

    /** @throws Exception when the wake-up was not accepted (endpoint unreachable, refused, timed out) */
    void wakeUp() throws Exception;
}
