package com.example.cancel;

import com.example.order.app.ApplyCancellation;
import com.example.order.data.OrderStore;
import com.example.outbox.Inbox;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real content-dependent database error at a chosen record: when armed for a inbox key, the next {@code n}
 * transactions recording that key first write what the inbox wrote before keys were bounded, a key of thousands of
 * characters, and PostgreSQL answers exactly as in issue 9 (SQLSTATE 54000, "index row size ... exceeds btree
 * version 4 maximum 2704 for index inbox_message_pkey"). Stands for any column bound the reader does not check.
 * Only in contexts started with {@code test.content-rejection=true}.
 */
@Factory
@Requires(property = "test.content-rejection", value = "true")
class ContentRejectionFixture {

    private static volatile String rejectedKey;
    private static final AtomicInteger rejections = new AtomicInteger();

    /** The next {@code times} transactions that record {@code inboxKey} fail with SQLSTATE 54000. */
    static void reject(String inboxKey, int times) {
        rejectedKey = inboxKey;
        rejections.set(times);
    }

    static String unboundedKey(String inboxKey) {
        // Random hex: PostgreSQL compresses index entries, so a repetitive key would fit.
        var key = new StringBuilder(inboxKey);
        while (key.length() < 4_000) {
            key.append(java.util.UUID.randomUUID());
        }
        return key.toString();
    }

    @Singleton
    @Replaces(bean = ApplyCancellation.class, factory = CancelConsumerBeans.class)
    ApplyCancellation applyCancellation(OrderStore orderStore, @Value("${cancel-consumer.event-source}") String source) {
        Inbox real = new JdbcInbox();
        Inbox rejecting = (connection, consumer, inboxKey, fingerprint) -> {
            if (inboxKey.equals(rejectedKey) && rejections.getAndDecrement() > 0) {
                try (var statement = connection.prepareStatement(
                        "insert into inbox_message (consumer, message_key) values (?, ?)")) {
                    statement.setString(1, consumer);
                    statement.setString(2, unboundedKey(inboxKey));
                    statement.executeUpdate();
                }
            }
            return real.receive(connection, consumer, inboxKey, fingerprint);
        };
        return new ApplyCancellation(orderStore.transactions(new JdbcOutboxWriter(), rejecting, source),
                Clock.systemUTC());
    }
}
