package com.example.order.app;

import com.example.order.app.DeadLetter.ErrorKind;
import com.example.order.domain.Order;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case: apply an {@code order.cancelled} message exactly once in effect.
 *
 * <p>Each call is one transaction that first records the message in the inbox and then either changes the order
 * or appends a dead letter. So a message is applied (or dead-lettered) together with its inbox entry or not at
 * all, and a redelivery finds the inbox entry and changes nothing ({@link CancellationOutcome#DUPLICATE}). A
 * different message that reuses a recorded key (same event id, other content) is never applied and never skipped:
 * it is dead-lettered as {@link ErrorKind#ID_REUSED_WITH_DIFFERENT_CONTENT} under the inbox's conflict key
 * ({@link CancellationOutcome#ID_REUSED}, ADR 0027).
 * A cancellation whose time is outside {@link #CLOCK_SKEW_LEEWAY} of the window from its order's creation to now is
 * dead-lettered as {@link ErrorKind#IMPLAUSIBLE_TIME}, never stored ({@link CancellationOutcome#IMPLAUSIBLE_TIME_DEAD_LETTERED}).
 * Storage failures propagate as {@link StorageException} after a rollback: the caller must retry the message
 * later, never skip it.
 */
public final class ApplyCancellation {

    /**
     * How far a cancellation's time may lie before its order's creation or after now: the clocks of the producer
     * and of this service disagree by this much at most. Five minutes is Kerberos's default maximum clock skew
     * (MIT krb5 {@code clockskew}, 300 s); servers synchronised by NTP or the Amazon Time Sync Service disagree by
     * milliseconds. Not configurable: a producer whose clock is further off must fix its clock, and a time outside
     * the window is stored nowhere, it is dead-lettered with the whole message.
     */
    public static final Duration CLOCK_SKEW_LEEWAY = Duration.ofMinutes(5);

    private final Transactions transactions;
    private final Clock clock;

    public ApplyCancellation(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * CREATED -> CANCELLED with the command's reason and time; an already cancelled order stays as it is; an
     * unknown order is poison and goes to the dead letters, and so is a cancellation whose time cannot be true
     * ({@link #implausibility}), whatever the order's state.
     */
    public CancellationOutcome apply(CancelOrderCommand command) {
        return transactions.inTransaction(unit -> {
            Delivery delivery = unit.receive(command.consumer(), command.inboxKey(), command.source());
            if (!(delivery instanceof Delivery.First)) {
                return repeated(unit, delivery, command.consumer(), command.inboxKey(), command.source(),
                        command.trace(), "a cancellation of order " + command.orderId());
            }
            // The row lock serialises this with any other writer of the order (and its outbox rows).
            Optional<Order> found = unit.orders().findForUpdate(command.orderId());
            if (found.isEmpty()) {
                unit.appendDeadLetter(new DeadLetter(command.consumer(), command.inboxKey(), command.source(),
                        ErrorKind.UNKNOWN_ORDER, "No order " + command.orderId(), now(), command.trace()));
                return CancellationOutcome.DEAD_LETTERED;
            }
            Order order = found.get();
            // PostgreSQL keeps microseconds; truncating keeps the stored and the returned time equal.
            Instant at = command.cancelledAt().truncatedTo(ChronoUnit.MICROS);
            String implausible = implausibility(at, order.createdAt(), clock.instant());
            if (implausible != null) {
                unit.appendDeadLetter(new DeadLetter(command.consumer(), command.inboxKey(), command.source(),
                        ErrorKind.IMPLAUSIBLE_TIME, "Cancellation of order " + command.orderId() + ": " + implausible,
                        now(), command.trace()));
                return CancellationOutcome.IMPLAUSIBLE_TIME_DEAD_LETTERED;
            }
            if (!order.cancel(command.reason(), at)) {
                return CancellationOutcome.ALREADY_CANCELLED;
            }
            unit.orders().update(order);
            return CancellationOutcome.APPLIED;
        });
    }

    /**
     * Records a message that cannot be applied (malformed, unsupported schema, ...) in the inbox and the dead
     * letters, once. A redelivery of the same message returns {@link CancellationOutcome#DUPLICATE}; another
     * message under the same key is dead-lettered as {@link ErrorKind#ID_REUSED_WITH_DIFFERENT_CONTENT}.
     */
    public CancellationOutcome deadLetter(DeadLetter deadLetter) {
        return transactions.inTransaction(unit -> {
            Delivery delivery = unit.receive(deadLetter.consumer(), deadLetter.inboxKey(), deadLetter.message());
            if (!(delivery instanceof Delivery.First)) {
                return repeated(unit, delivery, deadLetter.consumer(), deadLetter.inboxKey(), deadLetter.message(),
                        deadLetter.trace(), "poison itself (" + deadLetter.errorKind() + ": " + deadLetter.errorMessage() + ")");
            }
            unit.appendDeadLetter(deadLetter);
            return CancellationOutcome.DEAD_LETTERED;
        });
    }

    /**
     * A message whose key the inbox had recorded: a duplicate is skipped; other content under the key is
     * dead-lettered under the inbox's conflict key (so each distinct message gets its own dead letter and
     * {@code ce_id}), in this transaction, and nothing else happens.
     */
    private CancellationOutcome repeated(UnitOfWork unit, Delivery delivery, String consumer, String inboxKey,
            ReceivedMessage message, TraceContext trace, String whatItSaid) {
        return switch (delivery) {
            case Delivery.Duplicate duplicate -> duplicate.verified()
                    ? CancellationOutcome.DUPLICATE : CancellationOutcome.UNVERIFIED_DUPLICATE;
            case Delivery.KeyReused reused -> {
                unit.appendDeadLetter(new DeadLetter(consumer, reused.conflictKey(), message,
                        ErrorKind.ID_REUSED_WITH_DIFFERENT_CONTENT, "Inbox key " + inboxKey
                                + " was already recorded for a message with other content; this one was not applied ("
                                + "it was " + whatItSaid + ")", now(), trace));
                yield CancellationOutcome.ID_REUSED;
            }
            case Delivery.First first -> throw new IllegalStateException("a first delivery is not a repeat");
        };
    }

    /**
     * Why a cancellation time cannot be true, or null if it can: it must lie between the order's creation and now,
     * each widened by {@link #CLOCK_SKEW_LEEWAY}. The time is stored as the order's {@code cancelledAt} and
     * {@code updatedAt} and returned by {@code GET /orders/{id}}; nothing orders or compares by it, but a year-1 or
     * year-9999 time there would be an invented fact (a cancellation before the order existed, or in the future).
     *
     * @param at        the cancellation time the message claims (its {@code occurredAt}, else {@code ce_time}, else
     *                  its record timestamp)
     * @param createdAt when the order was created
     * @param now       this service's clock
     */
    public static String implausibility(Instant at, Instant createdAt, Instant now) {
        if (at.isBefore(createdAt.minus(CLOCK_SKEW_LEEWAY))) {
            return "its time " + at + " is before the order was created (" + createdAt + ") by more than "
                    + CLOCK_SKEW_LEEWAY.toMinutes() + " minutes of clock skew";
        }
        if (at.isAfter(now.plus(CLOCK_SKEW_LEEWAY))) {
            return "its time " + at + " is after now (" + now + ") by more than " + CLOCK_SKEW_LEEWAY.toMinutes()
                    + " minutes of clock skew";
        }
        return null;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
