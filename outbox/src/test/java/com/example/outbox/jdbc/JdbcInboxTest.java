package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.Inbox;
import com.example.outbox.OutboxTables;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** JdbcInbox's own bounds; the dedupe contract itself is proven by InboxContract in outbox-testkit. */
class JdbcInboxTest {

    private final DataSource dataSource = OutboxTables.dataSource();

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
    @Test
    void surrogatePairsAreStoredAsSentAndAnUnpairedSurrogateIsRefusedWhereverItStands() throws Exception {
        var inbox = new JdbcInbox();
        String pair = "\ud83d\ude00";
        String endsInPair = "k-" + UUID.randomUUID() + pair;
        String startsWithPair = pair + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.firstDelivery(c, "test-consumer", endsInPair)).isTrue();
            assertThat(inbox.firstDelivery(c, "test-consumer", startsWithPair)).isTrue();
            assertThat(inbox.firstDelivery(c, "test-consumer", endsInPair)).isFalse();
            try (var s = c.prepareStatement("select count(*) from inbox_message where consumer = 'test-consumer'"
                    + " and message_key in (?, ?)")) {
                s.setString(1, endsInPair);
                s.setString(2, startsWithPair);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                }
            }
            for (String bad : List.of("\ud83d", "a\ud83d", "\ude00a", "\ud83d\ud83d", "a\ude00\ud83d")) {
                assertThatThrownBy(() -> inbox.firstDelivery(c, "test-consumer", bad))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            c.rollback();
        }
    }
}
