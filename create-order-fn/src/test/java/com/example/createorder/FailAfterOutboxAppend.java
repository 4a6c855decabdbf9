package com.example.createorder;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxWriter;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Test-only OutboxWriter: really appends the row, proves it is there inside the transaction, then fails, as a
 * crash or lost connection after the outbox insert would. Active only with {@code test.fail-after-outbox-append}.
 */
@Singleton
@Replaces(OutboxWriter.class)
@Requires(property = "test.fail-after-outbox-append", value = "true")
class FailAfterOutboxAppend implements OutboxWriter {

    static volatile String lastAggregateId;
    static volatile long rowsSeenInTransaction;

    private final OutboxWriter delegate = new JdbcOutboxWriter();

    @Override
    public void append(Connection transaction, OutboxMessage message) throws SQLException {
        delegate.append(transaction, message);
        lastAggregateId = message.aggregateId();
        try (var s = transaction.prepareStatement(
                "select (select count(*) from outbox_message where message_id = ?) + (select count(*) from orders where id = ?::uuid)")) {
            s.setObject(1, message.messageId());
            s.setString(2, message.aggregateId());
            try (var rs = s.executeQuery()) {
                rs.next();
                rowsSeenInTransaction = rs.getLong(1);
            }
        }
        throw new SQLException("Injected failure after the outbox insert");
    }
}
