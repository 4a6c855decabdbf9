package com.example.order.app;

/**
 * Where consumers put poison messages.
 *
 * <p>Contract: {@link #append} stores the dead letter in the unit of work's transaction, to be published to the
 * dead-letter topic ({@code order.cancelled.dlq}) if and only if that transaction commits. Together with the
 * inbox entry written in the same transaction, a poison message is dead-lettered exactly once, never lost and
 * never published for a message whose handling rolled back.
 */
public interface DeadLetters {

    /** The event type (and, by default, topic) of dead-lettered cancellations. */
    String ORDER_CANCELLED_DLQ = "order.cancelled.dlq";

    void append(DeadLetter deadLetter);
}
