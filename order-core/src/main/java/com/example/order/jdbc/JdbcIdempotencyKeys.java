package com.example.order.jdbc;

import com.example.order.app.IdempotencyKeys;
import com.example.order.app.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * {@link IdempotencyKeys} on table {@code idempotency_keys}. INSERT ... ON CONFLICT DO NOTHING: the primary key
 * makes a concurrent insert of the same key wait for the first transaction, then see its committed row.
 */
final class JdbcIdempotencyKeys implements IdempotencyKeys {

    private static final String INSERT = """
            insert into idempotency_keys (idempotency_key, request_fingerprint, order_id) values (?, ?, ?)
            on conflict (idempotency_key) do nothing
            """;
    private static final String SELECT =
            "select request_fingerprint, order_id from idempotency_keys where idempotency_key = ?";

    private final Connection connection;

    JdbcIdempotencyKeys(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Claim claim(String key, String requestFingerprint, UUID orderId) {
        try {
            try (var insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, key);
                insert.setString(2, requestFingerprint);
                insert.setObject(3, orderId);
                if (insert.executeUpdate() == 1) {
                    return new Claim.Claimed();
                }
            }
            // READ COMMITTED: this new statement sees the row committed by the transaction we waited for.
            try (var select = connection.prepareStatement(SELECT)) {
                select.setString(1, key);
                try (var rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("Idempotency key " + key + " conflicted but cannot be read");
                    }
                    return new Claim.AlreadyUsed(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("Idempotency key claim failed", e);
        }
    }
}
