package com.example.order.app;

import com.example.order.domain.OrderEvent;

/**
 * The operations available inside one transaction (see {@link Transactions}). All of them write through the same
 * transaction, so for example "record the inbox entry + update the order + append the event" is atomic.
 *
 * <p>The outbox and the inbox are the outbox library's ({@code com.example.outbox.OutboxWriter} and
 * {@code com.example.outbox.Inbox}); this port only says what the use cases write into them, in domain terms, so
 * that domain and use cases stay free of JDBC.
 */
public interface UnitOfWork {

    OrderRepository orders();

    IdempotencyKeys idempotencyKeys();

    /**
     * Appends an order event to the transactional outbox: the encoded event, keyed by its order id, with its
     * CloudEvents metadata (id = event id, type = event type, time = occurredAt, source = the adapter's configured
     * source) and the {@code traceparent} / {@code x-correlation-id} headers present in {@code trace}. The relay
     * publishes it if and only if this transaction commits.
     */
    void appendToOutbox(OrderEvent event, TraceContext trace);

    /**
     * Appends a consumer's poison message to the outbox as an {@value DeadLetter#ORDER_CANCELLED_DLQ} event (ADR
     * 0022), published if and only if this transaction commits. Together with the inbox entry written in the same
     * transaction, a poison message is dead-lettered exactly once, never lost and never published for a message
     * whose handling rolled back.
     */
    void appendDeadLetter(DeadLetter deadLetter);

    /**
     * The inbox: records (consumer, inboxKey) in this transaction, with a fingerprint of the message's content (its
     * value and CloudEvents headers, see the outbox library's {@code InboxFingerprint}), and says which delivery this
     * is: {@link Delivery.First} only the first time the pair is seen (committed); {@link Delivery.Duplicate} for
     * the same content again; {@link Delivery.KeyReused} for other content under a recorded key, which the caller
     * must dead-letter, never apply and never skip. Call it in the same transaction as the effect it guards; a
     * rollback forgets it. Concurrent transactions with the same pair: the second waits for the first.
     *
     * <p>The key is stored in an index, so it is bounded: at most 512 UTF-8 bytes (the consumer name 255) of text
     * PostgreSQL holds exactly (no U+0000, no unpaired surrogate). A consumer derives such a key from the message's
     * identity (e.g. a digest for a long id) so that two different messages never get the same key; a key outside
     * the bound is refused with {@link IllegalArgumentException}.
     */
    Delivery receive(String consumer, String inboxKey, ReceivedMessage message);
}
