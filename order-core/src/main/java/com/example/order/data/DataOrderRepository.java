package com.example.order.data;

import com.example.order.app.ConcurrentUpdateException;
import com.example.order.app.OrderRepository;
import com.example.order.domain.Order;
import com.example.order.domain.OrderItem;
import com.example.order.domain.OrderStatus;
import io.micronaut.data.exceptions.OptimisticLockException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link OrderRepository} over {@link OrderRows} and {@link OrderItemRows}: maps the domain's {@link Order} to and
 * from rows. Database failures surface as Micronaut Data's {@code DataAccessException}, which
 * {@link DataTransactions} turns into {@code StorageException} after the rollback.
 */
final class DataOrderRepository implements OrderRepository {

    private final OrderRows orders;
    private final OrderItemRows items;

    DataOrderRepository(OrderRows orders, OrderItemRows items) {
        this.orders = orders;
        this.items = items;
    }

    @Override
    public void insert(Order order) {
        orders.save(row(order));
        var lines = new ArrayList<OrderItemRow>(order.items().size());
        for (OrderItem item : order.items()) {
            lines.add(new OrderItemRow(new OrderItemRow.Key(order.id(), lines.size()), item.productId(),
                    item.quantity(), item.unitPrice()));
        }
        items.saveAll(lines);
    }

    @Override
    public Optional<Order> find(UUID orderId) {
        return orders.findById(orderId).map(this::restore);
    }

    @Override
    public Optional<Order> findForUpdate(UUID orderId) {
        return orders.findByIdForUpdate(orderId).map(this::restore);
    }

    @Override
    public long update(Order order) {
        try {
            orders.update(row(order));
        } catch (OptimisticLockException e) {
            throw new ConcurrentUpdateException(order.id(), order.version());
        }
        return order.version() + 1;
    }

    private static OrderRow row(Order order) {
        return new OrderRow(order.id(), order.customerId(), order.status().name(), order.total(), order.cancelReason(),
                order.cancelledAt(), order.createdAt(), order.updatedAt(), order.version());
    }

    private Order restore(OrderRow row) {
        List<OrderItem> lines = items.findByKeyOrderIdOrderByKeyLineNo(row.id()).stream()
                .map(line -> new OrderItem(line.productId(), line.quantity(), line.unitPrice()))
                .toList();
        return Order.restore(row.id(), row.customerId(), lines, OrderStatus.valueOf(row.status()), row.createdAt(),
                row.updatedAt(), row.version(), row.cancelReason(), row.cancelledAt());
    }
}
