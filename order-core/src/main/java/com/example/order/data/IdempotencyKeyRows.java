package com.example.order.data;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;
import java.util.UUID;

/** Table {@code idempotency_keys}, on the transaction's connection. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface IdempotencyKeyRows extends GenericRepository<IdempotencyKeyRow, String> {

    /**
     * Records the key unless it exists: 1 if recorded, 0 if the key was already there. ON CONFLICT DO NOTHING is
     * the point: the primary key makes a concurrent insert of the same key wait for the first transaction, then
     * see its row and insert nothing, where a plain INSERT would fail (and the request would look like an outage).
     */
    @Query("""
            insert into idempotency_keys (idempotency_key, request_fingerprint, order_id)
            values (:idempotencyKey, :requestFingerprint, :orderId)
            on conflict (idempotency_key) do nothing""")
    int insertIfAbsent(String idempotencyKey, String requestFingerprint, UUID orderId);

    Optional<IdempotencyKeyRow> findById(String idempotencyKey);
}
