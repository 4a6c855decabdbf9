package com.example.cancel;

import com.example.outbox.InboxRetention;
import com.example.outbox.RetentionFailedException;
import com.example.outbox.jdbc.JdbcInboxRetention;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancel consumer trims its own inbox entries (ADR 0026): after a batch, at most once per
 * {@link InboxRetentionSettings#interval()} per execution environment, one bounded pass of {@link InboxRetention}.
 *
 * <p>Why after a batch, not on a schedule of its own: it costs no extra invocation, trigger or permission, and the
 * inbox only grows when batches arrive. A quiet topic means no invocations and no pass, so entries older than the
 * age stay until the next batch; that is harmless, because nothing is added meanwhile and an entry kept longer only
 * deduplicates longer. The first pass after a quiet spell deletes at most one budget's worth; later passes continue.
 *
 * <p>Skipped when the batch met a transient failure (the database is likely down: its records come back anyway) or
 * when less than twice the budget is left of the invocation. A failed pass never fails the batch, whose records are
 * already committed: it is logged and counted ({@code InboxRetentionFailures}, alarmed in Terraform), because passes
 * that keep failing let the inbox grow without bound. A pass that fails part-way still reports the entries its
 * earlier statements deleted ({@code InboxEntriesDeleted}, from {@link RetentionFailedException#deleted()}).
 */
@Singleton
class ConsumerInboxRetention {

    private static final Logger log = LoggerFactory.getLogger(ConsumerInboxRetention.class);

    private final InboxRetention retention;
    private final InboxRetentionSettings settings;
    private final String consumer;
    private final CancelMetrics metrics;
    private final LongSupplier nanoTime;
    /** When the last pass started in this execution environment; {@code null} before the first. */
    private Long lastPassNanos;

    @Inject
    ConsumerInboxRetention(DataSource dataSource, InboxRetentionSettings settings,
            CancelConsumerConfiguration consumer, CancelMetrics metrics) {
        // Its own short transactions outside any batch's: the pool itself, not Micronaut Data's contextual wrapper.
        this(new JdbcInboxRetention(DelegatingDataSource.unwrapDataSource(dataSource)), settings, consumer.consumerName(), metrics, System::nanoTime);
    }

    ConsumerInboxRetention(InboxRetention retention, InboxRetentionSettings settings, String consumer,
            CancelMetrics metrics, LongSupplier nanoTime) {
        this.retention = retention;
        this.settings = settings;
        this.consumer = consumer;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    /**
     * Runs one bounded pass if one is due.
     *
     * @return entries deleted, or {@code -1} if no pass ran (not due, too little time, the batch met a transient
     *         failure, or the pass failed)
     */
    synchronized int afterBatch(BatchResult batch, LongSupplier remainingMillis) {
        long now = nanoTime.getAsLong();
        if (batch.transientFailures() > 0
                || lastPassNanos != null && now - lastPassNanos < settings.interval().toNanos()
                || remainingMillis.getAsLong() <= settings.budget().multipliedBy(2).toMillis()) {
            return -1;
        }
        lastPassNanos = now;
        try {
            int deleted = retention.deleteOlderThan(consumer, settings.age(), settings.batchSize(), settings.budget());
            metrics.emitInboxRetention(deleted);
            if (deleted > 0) {
                log.info("Inbox retention deleted {} entries of {} received more than {} ago", deleted, consumer,
                        settings.age());
            }
            return deleted;
        } catch (SQLException | RuntimeException e) {
            // Each statement commits on its own: what the statements before the failure deleted stays deleted.
            int deleted = e instanceof RetentionFailedException partial ? partial.deleted() : 0;
            log.error("Inbox retention failed after deleting {} entries; expired entries of {} stay until a later"
                    + " pass: {}", deleted, consumer, e.toString(), e);
            metrics.emitInboxRetentionFailure(deleted, e);
            return -1;
        }
    }
}
