package com.example.order.app;

/**
 * The operations available inside one transaction (see {@link Transactions}). All of them write through the same
 * transaction, so for example "update the order + append the event + record the inbox key" is atomic.
 */
public interface UnitOfWork {

    OrderRepository orders();

    IdempotencyKeys idempotencyKeys();

    /** Appends order events to the transactional outbox. */
    EventOutbox outbox();

    /** Consumer-side dedupe (the inbox) in this transaction. */
    ProcessedMessages inbox();

    /** Poison messages of consumers, published to their dead-letter topic through the outbox, in this transaction. */
    DeadLetters deadLetters();
}
