package com.example.outbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.Inbox;
import java.sql.Connection;
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
 * G7, the inbox's dedupe: what every {@link Inbox} implementation must do, against the real PostgreSQL of
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

    private final ExecutorService secondTransaction = Executors.newSingleThreadExecutor();

    protected abstract Inbox inbox();

    /** Where the inbox's table lives; by default the kit's PostgreSQL with the outbox schema. */
    protected DataSource dataSource() {
        return OutboxTestbed.dataSource();
    }

    @AfterEach
    void stopSecondTransaction() {
        secondTransaction.shutdownNow();
    }

    @Test
    void firstDeliveryIsTrueExactlyOncePerConsumerAndKey() throws Exception {
        var inbox = inbox();
        String consumer = consumer();
        String key = UUID.randomUUID().toString();
        try (Connection c = transaction()) {
            assertThat(inbox.firstDelivery(c, consumer, key)).isTrue();
            c.commit();
            assertThat(inbox.firstDelivery(c, consumer, key)).as("redelivery").isFalse();
            assertThat(inbox.firstDelivery(c, consumer, UUID.randomUUID().toString())).as("another key").isTrue();
            assertThat(inbox.firstDelivery(c, consumer(), key)).as("another consumer has its own dedupe space").isTrue();
            c.commit();
        }
        try (Connection c = transaction()) {
            assertThat(inbox.firstDelivery(c, consumer, key)).as("after reconnecting").isFalse();
            c.rollback();
        }
    }

    @Test
    void aRolledBackFirstDeliveryIsForgotten() throws Exception {
        var inbox = inbox();
        String consumer = consumer();
        String key = UUID.randomUUID().toString();
        try (Connection c = transaction()) {
            assertThat(inbox.firstDelivery(c, consumer, key)).isTrue();
            c.rollback(); // the effect failed: the message must be applied on its next delivery
            assertThat(inbox.firstDelivery(c, consumer, key)).isTrue();
            c.commit();
        }
    }

    @Test
    void aConcurrentDeliveryOfTheSameKeyWaitsAndIsNotFirstOnceTheFirstCommits() throws Exception {
        assertThat(concurrentDelivery(true)).as("second delivery after the first committed").isFalse();
    }

    @Test
    void aConcurrentDeliveryOfTheSameKeyWaitsAndIsFirstIfTheFirstRollsBack() throws Exception {
        assertThat(concurrentDelivery(false)).as("second delivery after the first rolled back").isTrue();
    }

    /** Two transactions deliver one key at once; returns what the second was told. */
    private boolean concurrentDelivery(boolean firstCommits) throws Exception {
        var inbox = inbox();
        String consumer = consumer();
        String key = UUID.randomUUID().toString();
        try (Connection first = transaction(); Connection second = transaction()) {
            assertThat(inbox.firstDelivery(first, consumer, key)).isTrue();
            Future<Boolean> secondAnswer = secondTransaction.submit(() -> inbox.firstDelivery(second, consumer, key));
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
            boolean answer = secondAnswer.get(10, TimeUnit.SECONDS);
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
}
