package com.example.order.app;

import java.util.UUID;

/**
 * Remembers which order an {@code Idempotency-Key} produced, and the fingerprint of the request that used it.
 *
 * <p>Contract: {@link #claim} records (key, fingerprint, orderId) in the unit of work's transaction if the key is
 * new and returns {@link Claim.Claimed}; the record commits or rolls back with the order. If the key already
 * exists (committed), it writes nothing and returns {@link Claim.AlreadyUsed} with the stored fingerprint and
 * order id. If another transaction holds the same key uncommitted, {@code claim} blocks until that transaction
 * ends, then answers as above: so two concurrent requests with one key never both get {@code Claimed}.
 */
public interface IdempotencyKeys {

    Claim claim(String key, String requestFingerprint, UUID orderId);

    /** The outcome of {@link #claim}. */
    sealed interface Claim {

        /** The key is new and now belongs to the given order, in this transaction. */
        record Claimed() implements Claim {
        }

        /** The key was used before, by the request with this fingerprint, which created this order. */
        record AlreadyUsed(String requestFingerprint, UUID orderId) implements Claim {
        }
    }
}
