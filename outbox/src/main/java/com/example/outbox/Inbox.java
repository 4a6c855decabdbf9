package com.example.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * Remembers which messages a consumer has already handled, and what they contained, so that a redelivery changes
 * nothing and a different message that reuses an identity is never mistaken for one.
 *
 * <p>Contract: {@link #receive} records (consumer, key, fingerprint) through the caller's connection, in the
 * caller's transaction, and says which {@link Delivery} this is:
 * <ul>
 *   <li>{@link Delivery#FIRST} only the first time a (consumer, key) pair is seen: apply the message;</li>
 *   <li>{@link Delivery#DUPLICATE} when the pair was seen with the same fingerprint (a redelivery): skip it;</li>
 *   <li>{@link Delivery#UNVERIFIED_DUPLICATE} when the pair was recorded before entries had fingerprints, so the
 *       contents cannot be compared: skip it, as before fingerprints existed (such entries disappear with
 *       retention);</li>
 *   <li>{@link Delivery#KEY_REUSED} the first time the pair is seen with a fingerprint other than the recorded
 *       one: a different message under an identity already used. Never apply it, never skip it silently: record it
 *       as poison (a dead letter) under {@link #conflictKey(String, byte[])}. The inbox remembers it under that key
 *       in the same transaction, so its own redeliveries are {@link Delivery#DUPLICATE}.</li>
 * </ul>
 * A key's entry outlives its conflict entries: every delivery that finds the key recorded with another fingerprint
 * renews the key's entry (its {@code received_at}, to the transaction's time) in the same transaction, so the key's
 * entry is never older than a conflict entry, and retention, which forgets entries by age
 * ({@link InboxRetention}), never leaves a conflict entry without its key's entry. Otherwise a redelivery of a
 * dead-lettered message, still within its dedupe horizon, would find no entry under its key and be answered
 * {@code FIRST}: applied after being dead-lettered. Retention deleting the key's entry while a reuse is being
 * recorded makes {@code receive} fail with SQLSTATE {@code 40001} (retry; the next delivery is then {@code FIRST},
 * as for any message whose entry aged out).
 * Call it in the same transaction as the effect it guards: if the effect rolls back, so does the record, and the
 * next delivery is treated as the first. Two concurrent transactions with the same key cannot both get
 * {@code FIRST}: the second blocks until the first commits (then gets the answer for a repeat) or rolls back (then
 * gets {@code FIRST}).
 *
 * <p>The <em>inbox key</em> is the one name for the key a message is recorded under (ADR 0027). Its column is still
 * called {@code message_key}: renaming a column takes a migration, and the name is harmless there.
 *
 * <p>Keys are stored in the primary-key index of {@code inbox_message}, and a btree index row may not exceed
 * 2,704 bytes in PostgreSQL: so a key is at most {@link #MAX_KEY_BYTES} UTF-8 bytes and the consumer name at most
 * {@link #MAX_CONSUMER_BYTES}, both text PostgreSQL can store exactly (no U+0000, no unpaired surrogate); keys
 * starting with {@link #CONFLICT_KEY_PREFIX} are the inbox's own. Deriving such a key (e.g. a digest for a long id)
 * and the fingerprint (e.g. {@link InboxFingerprint}) from a message is the caller's job, because only the caller
 * knows what identifies its messages and what makes two of them the same; a key, consumer or fingerprint outside
 * these bounds is a bug of the caller and is refused with {@link IllegalArgumentException}, never sent to the
 * database.
 */
public interface Inbox {

    /** Longest inbox key, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 512;

    /** Longest consumer name, in UTF-8 bytes. */
    int MAX_CONSUMER_BYTES = 255;

    /** Longest fingerprint, in bytes (a SHA-256 is 32). */
    int MAX_FINGERPRINT_BYTES = 64;

    /** Keys the inbox records a {@link Delivery#KEY_REUSED} message under; refused as a caller's key. */
    String CONFLICT_KEY_PREFIX = "inbox.conflict-sha256:";

    /** What a delivery is, given what the inbox recorded before. */
    enum Delivery {
        /** The key was not recorded (or its entry rolled back, or expired by retention): apply the message. */
        FIRST,
        /** The key was recorded with the same fingerprint: the same message again; skip it. */
        DUPLICATE,
        /** The key was recorded before fingerprints existed: the contents cannot be compared; skip it as before. */
        UNVERIFIED_DUPLICATE,
        /** The key was recorded with another fingerprint: a different message reusing the identity; dead-letter it. */
        KEY_REUSED
    }

    /**
     * @param consumer    the name of the consumer; each consumer has its own dedupe space
     * @param inboxKey    the key the message is recorded under, derived by the caller from its identity (e.g. its
     *                    event id, or topic-partition-offset); stored in {@code inbox_message.message_key}
     * @param fingerprint what the message contained (1 to {@link #MAX_FINGERPRINT_BYTES} bytes), e.g.
     *                    {@link InboxFingerprint#of}; equal for a redelivery, different for a different message
     * @return which delivery this is; only {@link Delivery#FIRST} means "apply"
     * @throws IllegalArgumentException if the consumer or key is empty, too long, or not storable text, if the key
     *                                  starts with {@link #CONFLICT_KEY_PREFIX}, or if the fingerprint is empty or
     *                                  too long
     * @throws SQLException             if the database fails (retry the message later)
     */
    Delivery receive(Connection transaction, String consumer, String inboxKey, byte[] fingerprint) throws SQLException;

    /**
     * The key a {@link Delivery#KEY_REUSED} message is recorded under: {@value #CONFLICT_KEY_PREFIX} and the SHA-256,
     * in 64 lowercase hex digits, of the length-prefixed key and the fingerprint. Distinct (key, fingerprint) pairs
     * get distinct conflict keys (barring a SHA-256 collision), and a conflict key never equals a caller's key. Use
     * it as the dead letter's key, so that each distinct message gets its own dead letter.
     */
    static String conflictKey(String inboxKey, byte[] fingerprint) {
        byte[] key = inboxKey.getBytes(StandardCharsets.UTF_8);
        var digest = InboxFingerprint.sha256();
        digest.update(ByteBuffer.allocate(4).putInt(key.length).array());
        digest.update(key);
        digest.update(fingerprint);
        return CONFLICT_KEY_PREFIX + HexFormat.of().formatHex(digest.digest());
    }
}
