package com.example.outbox;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Remembers which messages a consumer has already applied, so redelivery changes nothing.
 *
 * <p>Contract: {@link #firstDelivery} records the key through the caller's connection, in the caller's
 * transaction, and returns {@code true} only the first time a (consumer, key) pair is seen. Call it in the
 * same transaction as the effect it guards: if the effect rolls back, so does the record, and the next
 * delivery is treated as the first. Two concurrent transactions with the same key cannot both get
 * {@code true}: the second blocks until the first commits (then gets {@code false}) or rolls back (then
 * gets {@code true}).
 */
public interface Inbox {

    /**
     * @param consumer   the name of the consumer; each consumer has its own dedupe space
     * @param messageKey the message's identity, e.g. its event id, or topic-partition-offset
     * @return {@code true} if this is the first delivery and the caller should apply the message
     */
    boolean firstDelivery(Connection transaction, String consumer, String messageKey) throws SQLException;
}
