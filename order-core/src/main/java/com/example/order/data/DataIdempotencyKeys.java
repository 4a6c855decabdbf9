package com.example.order.data;

import com.example.order.app.IdempotencyKeys;
import java.util.UUID;

/** {@link IdempotencyKeys} over {@link IdempotencyKeyRows}: insert if absent, else read the key's first request. */
final class DataIdempotencyKeys implements IdempotencyKeys {

    private final IdempotencyKeyRows keys;

    DataIdempotencyKeys(IdempotencyKeyRows keys) {
        this.keys = keys;
    }

    @Override
    public Claim claim(String key, String requestFingerprint, UUID orderId) {
        if (keys.insertIfAbsent(key, requestFingerprint, orderId) == 1) {
            return new Claim.Claimed();
        }
        // READ COMMITTED: this new statement sees the row committed by the transaction the insert waited for.
        return keys.findById(key)
                .map(row -> new Claim.AlreadyUsed(row.requestFingerprint(), row.orderId()))
                .orElseThrow(() -> new IllegalStateException("Idempotency key " + key + " conflicted but cannot be read"));
    }
}
