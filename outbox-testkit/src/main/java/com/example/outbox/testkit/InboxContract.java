package com.example.outbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.Inbox;
import com.example.outbox.Inbox.Delivery;
import com.example.outbox.InboxRetention;
import com.example.outbox.jdbc.JdbcInboxRetention;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.assertj.core.api.Assertions;

/**
 * G7, the inbox's dedupe (and G7b, a reused key is not a duplicate, also under retention): what every {@link Inbox} implementation must do, against the real PostgreSQL of
 * {@code SharedServers} (outbox schema migrated). A subclass returns the implementation:
 *
 * <pre>{@code
 * class JdbcInboxContractTest extends InboxContract {
 *     @Override
 *     protected Inbox inbox() {
 *         return new JdbcInbox();
 *     }
 * }
 * }</pre>
 *
 * <p>{@link RelayContract#crashBetweenAckAndMarkLosesNothing()} also applies a relay's duplicated output through
 * {@code JdbcInbox} and checks each event takes effect once.
 */
@Timeout(60)
public abstract class InboxContract {

    /** Three fingerprints: three different message contents. */
    private static final byte[] A = {1}, B = {2}, C = {3, 3};

    private final ExecutorService secondTransaction = Executors.newSingleThreadExecutor();

    protected abstract Inbox inbox();

    /** Where the inbox's table lives; by default the kit's PostgreSQL with the outbox schema. */
    protected DataSource dataSource() {
        return OutboxTestbed.dataSource();
    }

    /** The retention that trims the inbox's table; by default {@link JdbcInboxRetention} on {@link #dataSource()}. */
    protected InboxRetention retention() {
        return new JdbcInboxRetention(dataSource());
    }

    /** Makes every entry of {@code consumer} look {@code days} days older, as if received that long ago. */
    protected void ageEntries(String consumer, int days) throws Exception {
        try (Connection c = dataSource().getConnection();
             var s = c.prepareStatement("update inbox_message set received_at = received_at - ? * interval '1 day'"
                     + " where consumer = ?")) {
            c.setAutoCommit(true);
            s.setInt(1, days);
            s.setString(2, consumer);
            s.executeUpdate();
        }
    }

    @AfterEach
    void stopSecondTransaction() {
        secondTransaction.shutdownNow();
    }

    @Test
    void firstExactlyOncePerConsumerAndKeyThenDuplicateForTheSameContent() throws Exception {
        var message = freshKey();
        try (Connection c = transaction()) {
            assertThat(message.receive(c, A)).isEqualTo(Delivery.FIRST);
            c.commit();
            assertThat(message.receive(c, A)).as("redelivery").isEqualTo(Delivery.DUPLICATE);
            assertThat(message.inbox().receive(c, message.consumer(), UUID.randomUUID().toString(), A))
                    .as("another key, same content").isEqualTo(Delivery.FIRST);
            assertThat(message.inbox().receive(c, consumer(), message.key(), B))
                    .as("another consumer has its own dedupe space").isEqualTo(Delivery.FIRST);
            c.commit();
        }
        try (Connection c = transaction()) {
            assertThat(message.receive(c, A)).as("after reconnecting").isEqualTo(Delivery.DUPLICATE);
            c.rollback();
        }
    }

    /**
     * G7b: a different message under a key already recorded is never a duplicate: it is {@code KEY_REUSED} once (the
     * caller dead-letters it under {@link Inbox#conflictKey}), and its own redeliveries are duplicates; a third
     * content is {@code KEY_REUSED} again; the first content stays a duplicate.
     */
    @Test
    void aDifferentFingerprintUnderARecordedKeyIsKeyReusedOnceAndNeverADuplicate() throws Exception {
        var message = freshKey();
        try (Connection c = transaction()) {
            assertThat(message.receive(c, A)).isEqualTo(Delivery.FIRST);
            c.commit();
            assertThat(message.receive(c, B)).as("other content").isEqualTo(Delivery.KEY_REUSED);
            c.commit();
            assertThat(message.receive(c, B)).as("that content again").isEqualTo(Delivery.DUPLICATE);
            assertThat(message.receive(c, C)).as("a third content").isEqualTo(Delivery.KEY_REUSED);
            assertThat(message.receive(c, A)).as("the first content again").isEqualTo(Delivery.DUPLICATE);
            c.commit();
        }
        assertThat(Inbox.conflictKey(message.key(), B)).startsWith(Inbox.CONFLICT_KEY_PREFIX)
                .isNotEqualTo(Inbox.conflictKey(message.key(), C)).isNotEqualTo(Inbox.conflictKey(message.key() + "x", B));
    }

    /**
     * G7b under retention: a key's entry outlives the conflict entries recorded after it, so retention (by age) never
     * leaves a conflict entry without its key's entry. Otherwise a redelivery of the dead-lettered message, within
     * its own dedupe horizon, would find no entry under its key and be applied as a first delivery.
     */
    @Test
    void aKeysEntryOutlivesItsConflictEntriesUnderRetention() throws Exception {
        var inbox = inbox();
        String consumer = consumer();
        String key = UUID.randomUUID().toString();
        try (Connection c = transaction()) {
            assertThat(inbox.receive(c, consumer, key, A)).isEqualTo(Delivery.FIRST);
            c.commit();
            ageEntries(consumer, 20); // A was received long ago, B (same key, other content) arrives now
            assertThat(inbox.receive(c, consumer, key, B)).isEqualTo(Delivery.KEY_REUSED);
            c.commit();
            int deleted = retention().deleteOlderThan(consumer, Duration.ofDays(10), 100, Duration.ZERO);
            assertThat(inbox.receive(c, consumer, key, B)).as("the dead-lettered message again, after retention")
                    .isEqualTo(Delivery.DUPLICATE);
            assertThat(deleted).as("the key's entry was renewed when its key was reused: nothing is old enough")
                    .isZero();
            assertThat(inbox.receive(c, consumer, key, A)).as("the first message again").isEqualTo(Delivery.DUPLICATE);
            c.commit();
            ageEntries(consumer, 20); // now both are beyond the retention age: they are forgotten together
            assertThat(retention().deleteOlderThan(consumer, Duration.ofDays(10), 100, Duration.ZERO)).isEqualTo(2);
            assertThat(inbox.receive(c, consumer, key, B)).as("beyond the retention age, as for any message")
                    .isEqualTo(Delivery.FIRST);
            c.rollback();
        }
    }

    /**
     * A retention pass while a key reuse is undecided leaves the key's entry alone (the reusing transaction holds
     * it), and once that transaction commits the entry is as recent as the conflict entry.
     */
    @Test
    void retentionDuringAnUndecidedKeyReuseKeepsTheKeysEntry() throws Exception {
        var inbox = inbox();
        String consumer = consumer();
        String key = UUID.randomUUID().toString();
        try (Connection c = transaction()) {
            assertThat(inbox.receive(c, consumer, key, A)).isEqualTo(Delivery.FIRST);
            c.commit();
            ageEntries(consumer, 20);
            assertThat(inbox.receive(c, consumer, key, B)).isEqualTo(Delivery.KEY_REUSED);
            Future<Integer> pass = secondTransaction.submit(
                    () -> retention().deleteOlderThan(consumer, Duration.ofDays(10), 100, Duration.ZERO));
            int deletedDuring = pass.get(10, TimeUnit.SECONDS);
            c.commit();
            int deletedAfter = retention().deleteOlderThan(consumer, Duration.ofDays(10), 100, Duration.ZERO);
            assertThat(inbox.receive(c, consumer, key, B)).as("the dead-lettered message again, after retention")
                    .isEqualTo(Delivery.DUPLICATE);
            assertThat(deletedDuring).as("retention passes over the entry being reused").isZero();
            assertThat(deletedAfter).as("then the entry is as recent as its conflict entry").isZero();
            c.commit();
        }
    }

    @Test
    void aRolledBackKeyReuseIsForgotten() throws Exception {
        var message = freshKey();
        try (Connection c = transaction()) {
            assertThat(message.receive(c, A)).isEqualTo(Delivery.FIRST);
            c.commit();
            assertThat(message.receive(c, B)).isEqualTo(Delivery.KEY_REUSED);
            c.rollback(); // the dead letter failed: the next delivery must dead-letter it again
            assertThat(message.receive(c, B)).isEqualTo(Delivery.KEY_REUSED);
            c.commit();
        }
    }

    @Test
    void aRolledBackFirstDeliveryIsForgotten() throws Exception {
        var message = freshKey();
        try (Connection c = transaction()) {
            assertThat(message.receive(c, A)).isEqualTo(Delivery.FIRST);
            c.rollback(); // the effect failed: the message must be applied on its next delivery
            assertThat(message.receive(c, B)).as("even with other content").isEqualTo(Delivery.FIRST);
            c.commit();
        }
    }

    @Test
    void aConcurrentDeliveryOfTheSameKeyWaitsAndIsADuplicateOnceTheFirstCommits() throws Exception {
        assertThat(concurrentDelivery(true, A)).as("second delivery after the first committed").isEqualTo(Delivery.DUPLICATE);
    }

    @Test
    void aConcurrentDeliveryOfOtherContentWaitsAndIsKeyReusedOnceTheFirstCommits() throws Exception {
        assertThat(concurrentDelivery(true, B)).as("second delivery after the first committed").isEqualTo(Delivery.KEY_REUSED);
    }

    @Test
    void aConcurrentDeliveryOfTheSameKeyWaitsAndIsFirstIfTheFirstRollsBack() throws Exception {
        assertThat(concurrentDelivery(false, B)).as("second delivery after the first rolled back").isEqualTo(Delivery.FIRST);
    }

    /** Two transactions deliver one key at once (the first with content A); returns what the second was told. */
    private Delivery concurrentDelivery(boolean firstCommits, byte[] secondContent) throws Exception {
        var message = freshKey();
        try (Connection first = transaction(); Connection second = transaction()) {
            assertThat(message.receive(first, A)).isEqualTo(Delivery.FIRST);
            Future<Delivery> secondAnswer = secondTransaction.submit(() -> message.receive(second, secondContent));
            try {
                secondAnswer.get(500, TimeUnit.MILLISECONDS);
                Assertions.fail("the second delivery must wait while the first is undecided");
            } catch (TimeoutException expected) {
                // still waiting: correct
            }
            if (firstCommits) {
                first.commit();
            } else {
                first.rollback();
            }
            Delivery answer = secondAnswer.get(10, TimeUnit.SECONDS);
            second.commit();
            return answer;
        }
    }

    private Connection transaction() throws Exception {
        Connection c = dataSource().getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private static String consumer() {
        return "kit-" + UUID.randomUUID();
    }

    /** A new key of a new consumer on the implementation under test: each test has its own dedupe space. */
    private FreshKey freshKey() {
        return new FreshKey(inbox(), consumer(), UUID.randomUUID().toString());
    }

    /** Deliveries of one key by one consumer, each with the content given. */
    private record FreshKey(Inbox inbox, String consumer, String key) {
        Delivery receive(Connection transaction, byte[] content) throws SQLException {
            return inbox.receive(transaction, consumer, key, content);
        }
    }
}
