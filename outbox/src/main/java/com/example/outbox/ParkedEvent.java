package com.example.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An outbox row the relay gave up on after {@link RetryPolicy#maxAttempts()} rejections. Later rows of the same
 * aggregate wait behind it until it is re-queued (or deliberately deleted by an operator).
 */
public record ParkedEvent(long id, UUID messageId, String aggregateId, String eventType, int attempts,
        String lastError, Instant createdAt) {
}
