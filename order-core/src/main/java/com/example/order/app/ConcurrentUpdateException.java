package com.example.order.app;

import java.util.UUID;

/** An optimistic update found another version than the one it read: someone else changed the order meanwhile. */
public class ConcurrentUpdateException extends RuntimeException {

    private final UUID orderId;
    private final long expectedVersion;

    public ConcurrentUpdateException(UUID orderId, long expectedVersion) {
        super("Order " + orderId + " is no longer at version " + expectedVersion);
        this.orderId = orderId;
        this.expectedVersion = expectedVersion;
    }

    public UUID orderId() {
        return orderId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
