package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.Inbox;
import com.example.outbox.Inbox.Delivery;
import com.example.outbox.OutboxTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** JdbcInbox's own bounds; the dedupe contract itself is proven by InboxContract in outbox-testkit. */
class JdbcInboxTest {

    private static final byte[] FP = {1, 2, 3};

    private final DataSource dataSource = OutboxTables.dataSource();

    @Test
    void inboxRefusesKeysItCannotStoreExactlyBeforeTheDatabaseSeesThem() throws Exception {
        var inbox = new JdbcInbox();
        String longest = "k".repeat(Inbox.MAX_KEY_BYTES - 36) + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.receive(c, "test-consumer", longest, FP)).isEqualTo(Delivery.FIRST);
            for (String bad : List.of(longest + "x", "a\u0000b", "a\ud800b", "")) {
                assertThatThrownBy(() -> inbox.receive(c, "test-consumer", bad, FP))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> inbox.receive(c, "c".repeat(Inbox.MAX_CONSUMER_BYTES + 1), "k", FP))
                    .isInstanceOf(IllegalArgumentException.class);
            // Nothing reached the database, so the transaction is still usable.
            assertThat(inbox.receive(c, "test-consumer", longest, FP)).isEqualTo(Delivery.DUPLICATE);
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
            assertThat(inbox.receive(c, "test-consumer", endsInPair, FP)).isEqualTo(Delivery.FIRST);
            assertThat(inbox.receive(c, "test-consumer", startsWithPair, FP)).isEqualTo(Delivery.FIRST);
            assertThat(inbox.receive(c, "test-consumer", endsInPair, FP)).isEqualTo(Delivery.DUPLICATE);
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
                assertThatThrownBy(() -> inbox.receive(c, "test-consumer", bad, FP))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            c.rollback();
        }
    }

    @Test
    void inboxRefusesBadFingerprintsAndItsOwnKeyPrefixBeforeTheDatabaseSeesThem() throws Exception {
        var inbox = new JdbcInbox();
        String key = "k-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (byte[] bad : new byte[][] {null, new byte[0], new byte[Inbox.MAX_FINGERPRINT_BYTES + 1]}) {
                assertThatThrownBy(() -> inbox.receive(c, "test-consumer", key, bad))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> inbox.receive(c, "test-consumer", Inbox.conflictKey(key, FP), FP))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Inbox.CONFLICT_KEY_PREFIX);
            assertThat(inbox.receive(c, "test-consumer", key, new byte[Inbox.MAX_FINGERPRINT_BYTES]))
                    .isEqualTo(Delivery.FIRST);
            c.rollback();
        }
    }

    /** Entries written before V5 have no fingerprint: a repeat is an unverified duplicate, whatever it contains. */
    @Test
    void anEntryWithoutAFingerprintAnswersUnverifiedDuplicateAndStaysAsItWas() throws Exception {
        var inbox = new JdbcInbox();
        String key = "legacy-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.prepareStatement("insert into inbox_message (consumer, message_key) values ('test-consumer', ?)")) {
                s.setString(1, key);
                s.executeUpdate();
            }
            assertThat(inbox.receive(c, "test-consumer", key, FP)).isEqualTo(Delivery.UNVERIFIED_DUPLICATE);
            assertThat(inbox.receive(c, "test-consumer", key, new byte[] {9})).isEqualTo(Delivery.UNVERIFIED_DUPLICATE);
            try (var s = c.prepareStatement("select count(*), count(fingerprint) from inbox_message"
                    + " where consumer = 'test-consumer' and (message_key = ? or message_key like 'inbox.conflict%')")) {
                s.setString(1, key);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("no conflict entry").isEqualTo(1);
                    assertThat(rs.getLong(2)).as("still unknown").isZero();
                }
            }
            c.rollback();
        }
    }

    @Test
    void theFingerprintIsStoredNextToTheKeyAndAReusedKeyGetsAConflictEntryOfItsOwn() throws Exception {
        var inbox = new JdbcInbox();
        String key = "k-" + UUID.randomUUID();
        byte[] other = {4, 5, 6};
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.receive(c, "test-consumer", key, FP)).isEqualTo(Delivery.FIRST);
            assertThat(inbox.receive(c, "test-consumer", key, other)).isEqualTo(Delivery.KEY_REUSED);
            try (var s = c.prepareStatement("select message_key, fingerprint from inbox_message"
                    + " where consumer = 'test-consumer' and message_key in (?, ?) order by message_key")) {
                s.setString(1, key);
                s.setString(2, Inbox.conflictKey(key, other));
                try (var rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(Inbox.conflictKey(key, other));
                    assertThat(rs.getBytes(2)).isEqualTo(other);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(key);
                    assertThat(rs.getBytes(2)).isEqualTo(FP);
                    assertThat(rs.next()).isFalse();
                }
            }
            c.rollback();
        }
    }

    /**
     * Retention deletes the key's entry after the reusing delivery read it but before it renewed it: the delivery is
     * retried (SQLSTATE 40001), never answered KEY_REUSED with a conflict entry left without its key's entry.
     */
    @Test
    void aKeysEntryDeletedWhileItsReuseIsRecordedMakesTheDeliveryRetry() throws Exception {
        var inbox = new JdbcInbox();
        String consumer = "race-" + UUID.randomUUID();
        String key = "k-" + UUID.randomUUID();
        byte[] other = {4, 5, 6};
        var reuse = Executors.newSingleThreadExecutor();
        try (Connection c = dataSource.getConnection(); Connection deleter = dataSource.getConnection()) {
            c.setAutoCommit(false);
            deleter.setAutoCommit(false);
            assertThat(inbox.receive(c, consumer, key, FP)).isEqualTo(Delivery.FIRST);
            c.commit();
            // Retention's row lock only: the insert and the read pass it (an entry being deleted would make the
            // insert wait and then succeed, a plain FIRST); the renewal waits for it.
            assertThat(executeUpdate(deleter, "select 1 from inbox_message where consumer = ? and message_key = ?"
                    + " for update", consumer, key)).isEqualTo(1);
            var answer = reuse.submit(() -> inbox.receive(c, consumer, key, other));
            assertThatThrownBy(() -> answer.get(500, TimeUnit.MILLISECONDS)).as("the renewal waits for the lock")
                    .isInstanceOf(TimeoutException.class);
            assertThat(executeUpdate(deleter, "delete from inbox_message where consumer = ? and message_key = ?",
                    consumer, key)).isEqualTo(1);
            deleter.commit();
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            c.rollback();
            assertThat(inbox.receive(c, consumer, key, other)).as("the retry: the key's entry aged out")
                    .isEqualTo(Delivery.FIRST);
            c.rollback();
        } finally {
            reuse.shutdownNow();
        }
    }

    /**
     * ADR 0027's one-off renewal of pairs recorded before keys' entries were renewed: its SQL computes
     * {@link Inbox#conflictKey} exactly (UTF-8 length prefix, non-ASCII key), so it finds each conflict entry's key.
     */
    @Test
    void theAdrsRenewalQueryFindsTheKeyOfAConflictEntry() throws Exception {
        var inbox = new JdbcInbox();
        String consumer = "legacy-pair-" + UUID.randomUUID();
        String key = "cloudevent:7:/käse\uD83D\uDE00-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(inbox.receive(c, consumer, key, FP)).isEqualTo(Delivery.FIRST);
            assertThat(inbox.receive(c, consumer, key, new byte[] {7})).isEqualTo(Delivery.KEY_REUSED);
            // As before the renewal existed: the key's entry is older than its conflict entry.
            executeUpdate(c, "update inbox_message set received_at = received_at - interval '20 days'"
                    + " where consumer = ? and message_key = ?", consumer, key);
            assertThat(executeUpdate(c, """
                    update inbox_message k set received_at = c.received_at from inbox_message c
                     where c.consumer = k.consumer and c.message_key = 'inbox.conflict-sha256:'
                           || encode(sha256(int4send(octet_length(k.message_key))
                           || convert_to(k.message_key, 'UTF8') || c.fingerprint), 'hex')
                       and c.received_at > k.received_at and k.consumer = ?""", consumer))
                    .as("the key's entry, found from its conflict entry").isEqualTo(1);
            assertThat(executeUpdate(c, "select 1 from inbox_message where consumer = ?"
                    + " group by received_at", consumer)).as("both entries now have one age").isEqualTo(1);
            c.rollback();
        }
    }

    /** Runs one statement with string parameters; the update count, or for a query the number of rows. */
    private static int executeUpdate(Connection c, String sql, String... parameters) throws SQLException {
        try (var s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            if (!s.execute()) {
                return s.getUpdateCount();
            }
            int rows = 0;
            try (var rs = s.getResultSet()) {
                while (rs.next()) {
                    rows++;
                }
            }
            return rows;
        }
    }
}
