package com.example.outbox.jdbc;

import com.example.outbox.OutboxRetention;
import com.example.outbox.RetentionFailedException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The default {@link OutboxRetention}: repeated short {@code DELETE ... LIMIT}-style statements in
 * auto-commit mode, oldest entries first. {@code SKIP LOCKED} keeps two runs from waiting on each other;
 * the relay never touches old entries, so it never competes with it.
 */
public final class JdbcOutboxRetention implements OutboxRetention {

    private static final String DELETE_PUBLISHED_BATCH = """
            delete from outbox_published where id in (
                select id from outbox_published
                 where published_at < now() - ? * interval '1 millisecond'
                 order by published_at
                 limit ?
                   for update skip locked)
            """;

    private final BoundedDelete deletePublished;

    public JdbcOutboxRetention(DataSource dataSource) {
        this.deletePublished = new BoundedDelete(dataSource, DELETE_PUBLISHED_BATCH);
    }

    @Override
    public int deletePublishedOlderThan(Duration age, int batchSize, Duration budget)
            throws RetentionFailedException {
        return deletePublished.run(age, batchSize, budget);
    }
}
