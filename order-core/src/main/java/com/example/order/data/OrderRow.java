package com.example.order.data;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.Version;
import io.micronaut.data.annotation.sql.ColumnTransformer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of table {@code orders} (db/order/V1). Its items are {@link OrderItemRow}s. The version is the
 * optimistic lock: Micronaut Data's update writes {@code version + 1} where the stored version is the one read,
 * and fails with {@code OptimisticLockException} otherwise.
 */
@MappedEntity("orders")
public record OrderRow(
        @Id UUID id,
        UUID customerId,
        String status,
        BigDecimal totalAmount,
        @Nullable String cancelReason,
        @Nullable
        @MappedProperty(converter = InstantColumn.class)
        @ColumnTransformer(read = InstantColumn.READ_START + "order_row_.cancelled_at" + InstantColumn.READ_END,
                write = InstantColumn.WRITE)
        Instant cancelledAt,
        @MappedProperty(converter = InstantColumn.class)
        @ColumnTransformer(read = InstantColumn.READ_START + "order_row_.created_at" + InstantColumn.READ_END,
                write = InstantColumn.WRITE)
        Instant createdAt,
        @MappedProperty(converter = InstantColumn.class)
        @ColumnTransformer(read = InstantColumn.READ_START + "order_row_.updated_at" + InstantColumn.READ_END,
                write = InstantColumn.WRITE)
        Instant updatedAt,
        @Version long version) {
}
