package com.example.order.app;

import com.example.order.domain.Order;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Use case: read one order with its items. */
public final class GetOrder {

    private final Transactions transactions;

    public GetOrder(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    public Optional<Order> get(UUID orderId) {
        return transactions.inTransaction(unit -> unit.orders().find(orderId));
    }
}
