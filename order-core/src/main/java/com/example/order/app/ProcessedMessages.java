package com.example.order.app;

/**
 * The inbox: which incoming messages a consumer has already applied.
 *
 * <p>Contract: {@link #firstDelivery} records (consumer, messageKey) in the unit of work's transaction and returns
 * {@code true} only the first time the pair is seen (committed). Call it in the same transaction as the effect it
 * guards; a rollback forgets it. Concurrent transactions with the same pair: the second waits for the first.
 *
 * <p>The key is stored in an index, so it is bounded: at most 512 UTF-8 bytes of text PostgreSQL holds exactly (no
 * U+0000, no unpaired surrogate). A consumer derives such a key from the message's identity (e.g. a digest for a
 * long id) so that two different messages never get the same key; a key outside the bound is refused with
 * {@link IllegalArgumentException}.
 */
public interface ProcessedMessages {

    boolean firstDelivery(String consumer, String messageKey);
}
