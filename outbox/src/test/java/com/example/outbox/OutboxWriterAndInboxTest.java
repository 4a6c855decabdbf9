package com.example.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import javax.sql.DataSource;

class OutboxWriterAndInboxTest {

    static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = SharedServers.postgres().dataSource();
        OutboxSchema.migrate(dataSource);
    }

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

    @Test
    void inboxSaysFirstDeliveryOnceAndForgetsOnRollback() throws Exception {
        var inbox = new JdbcInbox();
        String key = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.firstDelivery(c, "test-consumer", key)).isTrue();
            c.rollback();
            assertThat(inbox.firstDelivery(c, "test-consumer", key)).isTrue();
            c.commit();
            assertThat(inbox.firstDelivery(c, "test-consumer", key)).isFalse();
            assertThat(inbox.firstDelivery(c, "other-consumer", key)).isTrue();
            c.commit();
        }
    }

    @Test
    void inboxRefusesKeysItCannotStoreExactlyBeforeTheDatabaseSeesThem() throws Exception {
        var inbox = new JdbcInbox();
        String longest = "k".repeat(Inbox.MAX_KEY_BYTES - 36) + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.firstDelivery(c, "test-consumer", longest)).isTrue();
            for (String bad : List.of(longest + "x", "a\u0000b", "a\ud800b", "")) {
                assertThatThrownBy(() -> inbox.firstDelivery(c, "test-consumer", bad))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> inbox.firstDelivery(c, "c".repeat(Inbox.MAX_CONSUMER_BYTES + 1), "k"))
                    .isInstanceOf(IllegalArgumentException.class);
            // Nothing reached the database, so the transaction is still usable.
            assertThat(inbox.firstDelivery(c, "test-consumer", longest)).isFalse();
            c.rollback();
        }
    }

    private static OutboxMessage message() {
        return OutboxMessage.json(UUID.randomUUID(), "test", UUID.randomUUID().toString(), "test.happened",
                "/tests", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static int count(UUID messageId) throws Exception {
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
