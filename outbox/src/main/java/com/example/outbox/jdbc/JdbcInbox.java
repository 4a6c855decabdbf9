package com.example.outbox.jdbc;

import com.example.outbox.Inbox;
import java.sql.Connection;
import java.sql.SQLException;

/** The default {@link Inbox}: INSERT ... ON CONFLICT DO NOTHING on the (consumer, key) primary key. */
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
        try (var statement = transaction.prepareStatement(INSERT)) {
            statement.setString(1, consumer);
            statement.setString(2, messageKey);
            return statement.executeUpdate() == 1;
        }
    }
}
