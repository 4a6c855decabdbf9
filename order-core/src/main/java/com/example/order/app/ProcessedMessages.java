package com.example.order.app;

/**
 * The inbox: which incoming messages a consumer has already applied.
 *
 * <p>Contract: {@link #firstDelivery} records (consumer, messageKey) in the unit of work's transaction and returns
 * {@code true} only the first time the pair is seen (committed). Call it in the same transaction as the effect it
 * guards; a rollback forgets it. Concurrent transactions with the same pair: the second waits for the first.
 */
public interface ProcessedMessages {

    boolean firstDelivery(String consumer, String messageKey);
}
