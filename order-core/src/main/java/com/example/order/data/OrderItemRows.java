package com.example.order.data;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** Table {@code order_items}, on the transaction's connection. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OrderItemRows extends GenericRepository<OrderItemRow, OrderItemRow.Key> {

    /** One batched INSERT for all lines. */
    List<OrderItemRow> saveAll(Iterable<OrderItemRow> rows);

    /** The order's lines in the client's order. */
    List<OrderItemRow> findByKeyOrderIdOrderByKeyLineNo(UUID orderId);
}
