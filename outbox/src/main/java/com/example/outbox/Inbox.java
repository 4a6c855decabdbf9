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
 *
 * <p>Keys are stored in the primary-key index of {@code inbox_message}, and a btree index row may not exceed
 * 2,704 bytes in PostgreSQL: so a key is at most {@link #MAX_KEY_BYTES} UTF-8 bytes and the consumer name at most
 * {@link #MAX_CONSUMER_BYTES}, both text PostgreSQL can store exactly (no U+0000, no unpaired surrogate). Deriving
 * such a key from a message (e.g. a digest for a long id) is the caller's job, because only the caller knows what
 * identifies its messages; a key outside these bounds is a bug of the caller and is refused with
 * {@link IllegalArgumentException}, never sent to the database.
 */
public interface Inbox {

    /** Longest message key, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 512;

    /** Longest consumer name, in UTF-8 bytes. */
    int MAX_CONSUMER_BYTES = 255;

    /**
     * @param consumer   the name of the consumer; each consumer has its own dedupe space
     * @param messageKey the message's identity, e.g. its event id, or topic-partition-offset
     * @return {@code true} if this is the first delivery and the caller should apply the message
     * @throws IllegalArgumentException if the consumer or key is empty, too long, or not storable text
     */
    boolean firstDelivery(Connection transaction, String consumer, String messageKey) throws SQLException;
}
