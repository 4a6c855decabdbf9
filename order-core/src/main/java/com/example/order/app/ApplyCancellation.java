package com.example.order.app;

import com.example.order.domain.Order;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case: apply an {@code order.cancelled} message exactly once in effect.
 *
 * <p>Each call is one transaction that first records the message in the inbox and then either changes the order
 * or appends a dead letter. So a message is applied (or dead-lettered) together with its inbox entry or not at
 * all, and a redelivery finds the inbox entry and changes nothing ({@link CancellationOutcome#DUPLICATE}).
 * Storage failures propagate as {@link StorageException} after a rollback: the caller must retry the message
 * later, never skip it.
 */
public final class ApplyCancellation {

    /** Error kind of a well-formed cancellation for an order that does not exist. */
    public static final String UNKNOWN_ORDER = "UNKNOWN_ORDER";

    private final Transactions transactions;
    private final Clock clock;

    public ApplyCancellation(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * CREATED -> CANCELLED with the command's reason and time; an already cancelled order stays as it is; an
     * unknown order is poison and goes to the dead letters.
     */
    public CancellationOutcome apply(CancelOrderCommand command) {
        return transactions.inTransaction(unit -> {
            if (!unit.firstDelivery(command.consumer(), command.messageKey())) {
                return CancellationOutcome.DUPLICATE;
            }
            // The row lock serialises this with any other writer of the order (and its outbox rows).
            Optional<Order> found = unit.orders().findForUpdate(command.orderId());
            if (found.isEmpty()) {
                unit.appendDeadLetter(new DeadLetter(command.consumer(), command.messageKey(), command.source(),
                        UNKNOWN_ORDER, "No order " + command.orderId(), now(), command.trace()));
                return CancellationOutcome.DEAD_LETTERED;
            }
            Order order = found.get();
            // PostgreSQL keeps microseconds; truncating keeps the stored and the returned time equal.
            if (!order.cancel(command.reason(), command.cancelledAt().truncatedTo(ChronoUnit.MICROS))) {
                return CancellationOutcome.ALREADY_CANCELLED;
            }
            unit.orders().update(order);
            return CancellationOutcome.APPLIED;
        });
    }

    /**
     * Records a message that cannot be applied (malformed, unsupported schema, ...) in the inbox and the dead
     * letters, once. A redelivery of the same message returns {@link CancellationOutcome#DUPLICATE}.
     */
    public CancellationOutcome deadLetter(DeadLetter deadLetter) {
        return transactions.inTransaction(unit -> {
            if (!unit.firstDelivery(deadLetter.consumer(), deadLetter.messageKey())) {
                return CancellationOutcome.DUPLICATE;
            }
            unit.appendDeadLetter(deadLetter);
            return CancellationOutcome.DEAD_LETTERED;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
