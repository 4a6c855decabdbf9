package com.example.outbox.jdbc;

import com.example.outbox.InboxRetention;
import com.example.outbox.RetentionFailedException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The default {@link InboxRetention}: repeated short {@code DELETE ... LIMIT}-style statements in auto-commit mode,
 * oldest entries first, through the {@code inbox_message (received_at)} index. {@code SKIP LOCKED} keeps two runs
 * (two execution environments of the consumer) from waiting on each other.
 */
public final class JdbcInboxRetention implements InboxRetention {

    private static final String DELETE_INBOX_BATCH = """
            delete from inbox_message where (consumer, message_key) in (
                select consumer, message_key from inbox_message
                 where consumer = ?
                   and received_at < now() - ? * interval '1 millisecond'
                 order by received_at
                 limit ?
                   for update skip locked)
            """;

    private final BoundedDelete deleteEntries;

    public JdbcInboxRetention(DataSource dataSource) {
        this.deleteEntries = new BoundedDelete(dataSource, DELETE_INBOX_BATCH);
    }

    @Override
    public int deleteOlderThan(String consumer, Duration age, int batchSize, Duration budget)
            throws RetentionFailedException {
        if (consumer == null || consumer.isEmpty()) {
            throw new IllegalArgumentException("consumer is empty");
        }
        return deleteEntries.run(age, batchSize, budget, consumer);
    }
}
