package com.example.relay;

import com.example.outbox.BacklogStats;
import com.example.outbox.OutboxRelay;
import com.example.outbox.OutboxRetention;
import com.example.outbox.OutboxStats;
import com.example.outbox.RelayRun;
import com.example.outbox.RelayTimeBudgetException;
import com.example.outbox.RelayWatch;
import com.example.outbox.RelayWatchLease;
import com.example.outbox.RetentionFailedException;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay invocation: watch the outbox and drain it, release the watch and take a last look (ADR 0014), then
 * (only if the outbox went idle) retention, then stats, metrics and summary.
 *
 * <p>A short invocation is never a silent no-op (ADR 0015): one that starts with no more than the minimum time
 * budget, or that ran out of time having published nothing because no batch was acknowledged in time, logs an
 * ERROR and throws, so Lambda counts a function error (the {@code Errors} metric and its alarm). Its rows stay
 * pending for the next invocation.
 */
@Singleton
@PollingRelayOnly
class RelayInvocation {

    private static final Logger log = LoggerFactory.getLogger(RelayInvocation.class);

    private final RelayDrains drains;
    private final RelayWatch watch;
    private final OutboxStats stats;
    private final OutboxRetention retention;
    private final RelayMetrics metrics;
    private final Duration watchLease;
    private final Duration safetyMargin;
    private final RetentionConfiguration retentionConfig;

    RelayInvocation(RelayDrains drains, RelayWatch watch, OutboxStats stats, OutboxRetention retention, RelayMetrics metrics,
            RelayConfiguration relay, RetentionConfiguration retentionConfig) {
        this.drains = drains;
        this.watch = watch;
        this.stats = stats;
        this.retention = retention;
        this.metrics = metrics;
        this.watchLease = relay.watchLease();
        this.safetyMargin = relay.safetyMargin();
        this.retentionConfig = retentionConfig;
    }

    RelaySummary run(RelayTrigger trigger, LongSupplier remainingMillis) {
        String source = trigger == null ? "unknown" : trigger.describe();
        log.info("Relay invoked by {} (scheduled for {})", source, trigger == null ? null : trigger.scheduledFor());
        OutboxRelay relay = trigger != null && trigger.isScheduled() ? drains.onSchedule() : drains.afterWakeUp();
        RelayRun run;
        // Released by the lease itself once less than the margin plus two leases is left: the drain keeps claiming
        // after that, so rows whose writers saw the watch are still taken, and later writers wake another relay.
        long releaseBelow = safetyMargin.plus(watchLease.multipliedBy(2)).toMillis();
        try (var lease = RelayWatchLease.start(watch, watchLease, remainingMillis, releaseBelow)) {
            run = relay.drain(remainingMillis);
            lease.release();
            if (run.stopReason() == RelayRun.StopReason.IDLE) {
                // Writers that committed before the release saw the watch and sent no wake-up: this claim, which
                // starts after the release, sees their rows.
                try {
                    run = run.plus(drains.lastLook().drain(remainingMillis));
                } catch (RelayTimeBudgetException e) {
                    // The drain itself succeeded; rows committed during the release wait for the next invocation.
                    log.warn("No time left for the last look after releasing the watch: {}", e.getMessage());
                }
            }
        } catch (RelayTimeBudgetException e) {
            log.error("Relay invoked by {} with too little time, failing the invocation: {}. Pending rows wait for the"
                    + " next invocation; give the function a timeout above relay.safety-margin (ADR 0015).",
                    source, e.getMessage());
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("relay interrupted", e);
        }
        long deleted = 0;
        Duration retentionBudget = retentionConfig.retentionBudget();
        // Retention only after the backlog is drained and with time to spare: never on the hot path. The relay trims
        // only its own table (the published log); each consumer trims its own inbox entries (ADR 0026).
        if (run.stopReason() == RelayRun.StopReason.IDLE
                && remainingMillis.getAsLong() > safetyMargin.plus(retentionBudget.multipliedBy(2)).toMillis()) {
            try {
                deleted = retention.deletePublishedOlderThan(retentionConfig.retentionAge(),
                        retentionConfig.retentionBatchSize(), retentionBudget);
            } catch (RetentionFailedException e) {
                // Each statement commits on its own: the entries deleted before the failure are gone, so count them.
                deleted = e.deleted();
                log.warn("Retention failed after deleting {} published-log entries; the rest wait for a later run: {}",
                        deleted, e.getMessage());
            } catch (SQLException e) {
                log.warn("Retention skipped: {}", e.getMessage());
            }
        }
        BacklogStats backlog;
        try {
            backlog = stats.snapshot();
        } catch (SQLException e) {
            log.warn("Backlog stats unavailable: {}", e.getMessage());
            backlog = new BacklogStats(-1, -1, Duration.ZERO);
        }
        var summary = RelaySummary.of(run, backlog, deleted, source);
        metrics.emit(summary);
        log.info("Relay finished: {}", summary);
        if (run.published() == 0 && run.abandoned() > 0) {
            String message = "no batch was acknowledged within the time left: " + run.abandoned()
                    + " rows abandoned unmarked (sent again by a later invocation), none published";
            log.error("Relay invoked by {} failing the invocation: {}", source, message);
            throw new IllegalStateException(message);
        }
        return summary;
    }
}
