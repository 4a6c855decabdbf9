package com.example.outbox;

/**
 * An outbox row the relay has claimed and is about to publish.
 *
 * @param id       the row's sequence number; per aggregate it is commit order
 * @param message  what to publish
 * @param attempts how many earlier attempts the broker rejected (transient outages do not count)
 */
public record PendingMessage(long id, OutboxMessage message, int attempts) {
}
