package com.example.outbox.jdbc;

import com.example.outbox.Inbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The default {@link Inbox}: INSERT ... ON CONFLICT DO NOTHING on the (consumer, key) primary key, after checking
 * the bounds of {@link Inbox} (so a bad key is a caller's bug, never a database error taken for an outage).
 */
public final class JdbcInbox implements Inbox {

    private static final String INSERT = """
            insert into inbox_message (consumer, message_key) values (?, ?)
            on conflict (consumer, message_key) do nothing
            """;

    @Override
    public boolean firstDelivery(Connection transaction, String consumer, String messageKey) throws SQLException {
        if (transaction.getAutoCommit()) {
            throw new IllegalStateException("Inbox.firstDelivery needs a connection inside a transaction (auto-commit is on)");
        }
        requireStorable("consumer", consumer, MAX_CONSUMER_BYTES);
        requireStorable("message key", messageKey, MAX_KEY_BYTES);
        try (var statement = transaction.prepareStatement(INSERT)) {
            statement.setString(1, consumer);
            statement.setString(2, messageKey);
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
