package com.example.outbox.jdbc;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;


/** The default {@link OutboxWriter}: one INSERT into {@code outbox_message}. */
public final class JdbcOutboxWriter implements OutboxWriter {

    private static final String INSERT = """
            insert into outbox_message
                (message_id, aggregate_type, aggregate_id, event_type, source, content_type, occurred_at, payload, headers)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            """;

    @Override
    public void append(Connection transaction, OutboxMessage message) throws SQLException {
        if (transaction.getAutoCommit()) {
            throw new IllegalStateException("OutboxWriter.append needs a connection inside a transaction (auto-commit is on)");
        }
        try (var statement = transaction.prepareStatement(INSERT)) {
            statement.setObject(1, message.messageId());
            statement.setString(2, message.aggregateType());
            statement.setString(3, message.aggregateId());
            statement.setString(4, message.eventType());
            statement.setString(5, message.source());
            statement.setString(6, message.contentType());
            statement.setTimestamp(7, Timestamp.from(message.occurredAt()));
            statement.setBytes(8, message.payload());
            statement.setString(9, HeadersJson.write(message.extraHeaders()));
            statement.executeUpdate();
        }
    }

}
