package com.example.order.data;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.util.UUID;

/** One row of table {@code idempotency_keys}: which order a key created, and the fingerprint of that request. */
@MappedEntity("idempotency_keys")
public record IdempotencyKeyRow(@Id String idempotencyKey, String requestFingerprint, UUID orderId) {
}
