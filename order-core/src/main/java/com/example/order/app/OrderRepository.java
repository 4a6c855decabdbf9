package com.example.order.app;

import com.example.order.domain.Order;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores orders with their items. Lives inside a {@link UnitOfWork}; every call uses its transaction.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #insert} writes a new order (version as given, normally 0) and its items. A duplicate id fails with
 *       {@link StorageException}.</li>
 *   <li>{@link #find} reads without locking (a consistent snapshot of one committed order).</li>
 *   <li>{@link #findForUpdate} reads and row-locks the order until the transaction ends: concurrent
 *       {@code findForUpdate} calls on the same order wait. Use it before changing an order so that writers of one
 *       order, and the events they append, are serialised in commit order.</li>
 *   <li>{@link #update} writes status, cancel reason/time and updatedAt, and increments the version, only if the
 *       stored version still equals {@code order.version()}; otherwise it throws {@link ConcurrentUpdateException}
 *       and writes nothing. Items and total never change after creation. Returns the new version.</li>
 * </ul>
 */
public interface OrderRepository {

    void insert(Order order);

    Optional<Order> find(UUID orderId);

    Optional<Order> findForUpdate(UUID orderId);

    long update(Order order);
}
