package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxTables;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import javax.sql.DataSource;

/**
 * The writer's contract: the row exists exactly when the caller's transaction commits. (The inbox's contract is
 * proven by InboxContract in outbox-testkit.)
 */
class JdbcOutboxWriterTest {

    private final DataSource dataSource = OutboxTables.dataSource();

    @Test
    void appendedRowExistsOnlyIfTheCallersTransactionCommits() throws Exception {
        var writer = new JdbcOutboxWriter();
        var committed = message();
        var rolledBack = message();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            writer.append(c, committed);
            c.commit();
            writer.append(c, rolledBack);
            c.rollback();
        }
        assertThat(count(committed.messageId())).isEqualTo(1);
        assertThat(count(rolledBack.messageId())).isZero();
    }

    @Test
    void headersAndCloudEventAttributesAreStoredBesideThePayload() throws Exception {
        var message = message().withExtraHeaders(Map.of("traceparent", "00-abc-01", "x-correlation-id", "q\"uote"));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, message);
            c.commit();
            try (var s = c.prepareStatement("select headers->>'traceparent', headers->>'x-correlation-id', event_type, status from outbox_message where message_id = ?")) {
                s.setObject(1, message.messageId());
                try (var rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("00-abc-01");
                    assertThat(rs.getString(2)).isEqualTo("q\"uote");
                    assertThat(rs.getString(3)).isEqualTo("test.happened");
                    assertThat(rs.getString(4)).isEqualTo("PENDING");
                }
            }
        }
    }

    @Test
    void appendRefusesAutoCommitConnections() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertThatThrownBy(() -> new JdbcOutboxWriter().append(c, message()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private static OutboxMessage message() {
        return OutboxMessage.json(UUID.randomUUID(), "test", UUID.randomUUID().toString(), "test.happened",
                "/tests", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private int count(UUID messageId) throws Exception {
        try (Connection c = dataSource.getConnection();
                var s = c.prepareStatement("select count(*) from outbox_message where message_id = ?")) {
            s.setObject(1, messageId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
