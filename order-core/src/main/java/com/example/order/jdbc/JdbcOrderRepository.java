package com.example.order.jdbc;

import com.example.order.app.ConcurrentUpdateException;
import com.example.order.app.OrderRepository;
import com.example.order.app.StorageException;
import com.example.order.domain.Order;
import com.example.order.domain.OrderItem;
import com.example.order.domain.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link OrderRepository} on tables {@code orders} and {@code order_items}. */
final class JdbcOrderRepository implements OrderRepository {

    private static final String INSERT_ORDER = """
            insert into orders (id, customer_id, status, total_amount, cancel_reason, cancelled_at, created_at, updated_at, version)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;
    private static final String INSERT_ITEM = """
            insert into order_items (order_id, line_no, product_id, quantity, unit_price) values (?, ?, ?, ?, ?)
            """;
    private static final String SELECT_ORDER = """
            select customer_id, status, cancel_reason, cancelled_at, created_at, updated_at, version
            from orders where id = ?
            """;
    private static final String SELECT_ITEMS =
            "select product_id, quantity, unit_price from order_items where order_id = ? order by line_no";
    private static final String UPDATE_ORDER = """
            update orders set status = ?, cancel_reason = ?, cancelled_at = ?, updated_at = ?, version = version + 1
            where id = ? and version = ?
            """;

    private final Connection connection;

    JdbcOrderRepository(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void insert(Order order) {
        try {
            try (var s = connection.prepareStatement(INSERT_ORDER)) {
                s.setObject(1, order.id());
                s.setObject(2, order.customerId());
                s.setString(3, order.status().name());
                s.setBigDecimal(4, order.total());
                s.setString(5, order.cancelReason());
                setInstant(s, 6, order.cancelledAt());
                setInstant(s, 7, order.createdAt());
                setInstant(s, 8, order.updatedAt());
                s.setLong(9, order.version());
                s.executeUpdate();
            }
            try (var s = connection.prepareStatement(INSERT_ITEM)) {
                int line = 0;
                for (OrderItem item : order.items()) {
                    s.setObject(1, order.id());
                    s.setInt(2, line++);
                    s.setObject(3, item.productId());
                    s.setInt(4, item.quantity());
                    s.setBigDecimal(5, item.unitPrice());
                    s.addBatch();
                }
                s.executeBatch();
            }
        } catch (SQLException e) {
            throw new StorageException("Insert of order " + order.id() + " failed", e);
        }
    }

    @Override
    public Optional<Order> find(UUID orderId) {
        return load(orderId, SELECT_ORDER);
    }

    @Override
    public Optional<Order> findForUpdate(UUID orderId) {
        return load(orderId, SELECT_ORDER + " for update");
    }

    @Override
    public long update(Order order) {
        try (var s = connection.prepareStatement(UPDATE_ORDER)) {
            s.setString(1, order.status().name());
            s.setString(2, order.cancelReason());
            setInstant(s, 3, order.cancelledAt());
            setInstant(s, 4, order.updatedAt());
            s.setObject(5, order.id());
            s.setLong(6, order.version());
            if (s.executeUpdate() != 1) {
                throw new ConcurrentUpdateException(order.id(), order.version());
            }
            return order.version() + 1;
        } catch (SQLException e) {
            throw new StorageException("Update of order " + order.id() + " failed", e);
        }
    }

    private Optional<Order> load(UUID orderId, String sql) {
        try {
            UUID customerId;
            OrderStatus status;
            String cancelReason;
            Instant cancelledAt;
            Instant createdAt;
            Instant updatedAt;
            long version;
            try (var s = connection.prepareStatement(sql)) {
                s.setObject(1, orderId);
                try (var rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    customerId = rs.getObject(1, UUID.class);
                    status = OrderStatus.valueOf(rs.getString(2));
                    cancelReason = rs.getString(3);
                    cancelledAt = instant(rs, 4);
                    createdAt = instant(rs, 5);
                    updatedAt = instant(rs, 6);
                    version = rs.getLong(7);
                }
            }
            var items = new ArrayList<OrderItem>();
            try (var s = connection.prepareStatement(SELECT_ITEMS)) {
                s.setObject(1, orderId);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        items.add(new OrderItem(rs.getObject(1, UUID.class), rs.getInt(2), rs.getBigDecimal(3)));
                    }
                }
            }
            return Optional.of(Order.restore(orderId, customerId, List.copyOf(items), status, createdAt, updatedAt,
                    version, cancelReason, cancelledAt));
        } catch (SQLException e) {
            throw new StorageException("Read of order " + orderId + " failed", e);
        }
    }

    /**
     * Binds an instant as {@code timestamptz} through {@link OffsetDateTime} (proleptic Gregorian, like PostgreSQL).
     * Not through {@link java.sql.Timestamp}: the driver formats that with the hybrid Julian/Gregorian calendar, so
     * an instant before 1582-10-15 (a cancellation's {@code occurredAt} may be as early as year 1) was stored days
     * off, e.g. 0001-01-01T00:00Z as 0001-01-03.
     */
    private static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
        s.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
