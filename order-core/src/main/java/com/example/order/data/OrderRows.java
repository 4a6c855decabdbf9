package com.example.order.data;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;
import java.util.UUID;

/** Table {@code orders}, on the transaction's connection (Micronaut Data JDBC, queries generated at compile time). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OrderRows extends GenericRepository<OrderRow, UUID> {

    /** INSERT; a duplicate id fails with {@code DataAccessException} (SQLSTATE 23505). */
    OrderRow save(OrderRow row);

    Optional<OrderRow> findById(UUID id);

    /** SELECT ... FOR UPDATE: row-locks the order until the transaction ends. */
    Optional<OrderRow> findByIdForUpdate(UUID id);

    /**
     * UPDATE every column, {@code version = row.version + 1} WHERE id and version match; throws
     * {@code OptimisticLockException} when no row matched (someone else changed the order meanwhile).
     */
    OrderRow update(OrderRow row);
}
