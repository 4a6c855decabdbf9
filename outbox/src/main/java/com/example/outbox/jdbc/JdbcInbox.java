package com.example.outbox.jdbc;

import com.example.outbox.Inbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The default {@link Inbox}: INSERT ... ON CONFLICT DO NOTHING on the (consumer, key) primary key, with the
 * fingerprint in the same row, after checking the bounds of {@link Inbox} (so a bad key is a caller's bug, never a
 * database error taken for an outage). A first delivery costs that one statement; only a repeated key reads the
 * recorded fingerprint, and only a reused key renews the key's entry ({@code received_at}) and writes a second row
 * (under {@link Inbox#conflictKey}), so the key's entry outlives its conflict entries under retention.
 */
public final class JdbcInbox implements Inbox {

    private static final String INSERT = """
            insert into inbox_message (consumer, message_key, fingerprint) values (?, ?, ?)
            on conflict (consumer, message_key) do nothing
            """;
    private static final String RECORDED = """
            select fingerprint from inbox_message where consumer = ? and message_key = ?
            """;
    /** now() is the transaction's start, the same instant the conflict entry's received_at defaults to. */
    private static final String RENEW = """
            update inbox_message set received_at = greatest(received_at, now())
             where consumer = ? and message_key = ?
            """;
    /** SQLSTATE serialization_failure: transient, the caller retries (not class 22/54, which mean "bad content"). */
    private static final String RETRY = "40001";

    @Override
    public Delivery receive(Connection transaction, String consumer, String inboxKey, byte[] fingerprint)
            throws SQLException {
        if (transaction.getAutoCommit()) {
            throw new IllegalStateException("Inbox.receive needs a connection inside a transaction (auto-commit is on)");
        }
        requireStorable("consumer", consumer, MAX_CONSUMER_BYTES);
        requireStorable("inbox key", inboxKey, MAX_KEY_BYTES);
        if (inboxKey.startsWith(CONFLICT_KEY_PREFIX)) {
            throw new IllegalArgumentException("inbox key starts with the inbox's own prefix " + CONFLICT_KEY_PREFIX);
        }
        if (fingerprint == null || fingerprint.length == 0 || fingerprint.length > MAX_FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("fingerprint must be 1 to " + MAX_FINGERPRINT_BYTES + " bytes");
        }
        if (insert(transaction, consumer, inboxKey, fingerprint)) {
            return Delivery.FIRST;
        }
        // A committed entry exists (ON CONFLICT waited for an undecided one). Read Committed sees it in this new
        // statement; if it is gone (retention deleted it in between, or a stricter isolation level hides it), the
        // caller retries and the next delivery is a first one, as after retention.
        byte[] recorded;
        try (var statement = transaction.prepareStatement(RECORDED)) {
            statement.setString(1, consumer);
            statement.setString(2, inboxKey);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("Inbox entry (" + consumer + ", " + inboxKey
                            + ") conflicted on insert but is not visible; retry", RETRY);
                }
                recorded = rows.getBytes(1);
            }
        }
        if (recorded == null) {
            return Delivery.UNVERIFIED_DUPLICATE;
        }
        if (MessageDigest.isEqual(recorded, fingerprint)) {
            return Delivery.DUPLICATE;
        }
        // Renew the key's entry first, so it never ages out before the conflict entry: once it was gone, a
        // redelivery of this dead-lettered message would be taken for a first delivery and applied. The row lock also
        // makes retention (SKIP LOCKED) pass over the entry until this transaction ends. Zero rows: retention deleted
        // the entry after it conflicted; retry, and the next delivery is a first one, as after retention.
        try (var statement = transaction.prepareStatement(RENEW)) {
            statement.setString(1, consumer);
            statement.setString(2, inboxKey);
            if (statement.executeUpdate() == 0) {
                throw new SQLException("Inbox entry (" + consumer + ", " + inboxKey
                        + ") was deleted by retention while its key was reused; retry", RETRY);
            }
        }
        // The conflict key includes the fingerprint: a redelivery of this same different message meets its own entry.
        return insert(transaction, consumer, Inbox.conflictKey(inboxKey, fingerprint), fingerprint)
                ? Delivery.KEY_REUSED : Delivery.DUPLICATE;
    }

    private static boolean insert(Connection transaction, String consumer, String key, byte[] fingerprint)
            throws SQLException {
        try (var statement = transaction.prepareStatement(INSERT)) {
            statement.setString(1, consumer);
            statement.setString(2, key);
            statement.setBytes(3, fingerprint);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Refuses, before the database sees it, what would fail there (index row too big, U+0000) or be stored as
     * something else (the driver turns an unpaired surrogate into {@code ?}, so two keys could become one).
     */
    private static void requireStorable(String what, String text, int maxBytes) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " contains U+0000 or an unpaired surrogate");
            }
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + " is " + bytes + " UTF-8 bytes, more than " + maxBytes);
        }
    }
}
