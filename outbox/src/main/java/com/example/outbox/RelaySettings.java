package com.example.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of one {@link OutboxRelay#drain} run.
 *
 * <p>Time budget (ADR 0015). A run that starts with more than {@code safetyMargin} left claims full batches until
 * only the margin is left, then returns (a later run goes on). A <em>short</em> run, one that starts with the margin
 * or less, still works: it claims smaller batches ({@code batchSize} scaled by the time left over the margin) until
 * only {@code minimumBudget} is left. Every run waits for a batch's acknowledgements only until {@link #WRAP_UP}
 * before its end; a batch not acknowledged by then is abandoned unmarked and sent again by a later run. A run that
 * starts with {@code minimumBudget} or less throws {@link RelayTimeBudgetException}: it could not do anything.
 *
 * @param batchSize        rows claimed per batch when time is plentiful
 * @param safetyMargin     the time one full batch needs at worst (the producer's {@code max.block.ms} plus its
 *                         {@code delivery.timeout.ms} plus a commit): a run stops claiming when this is left, unless
 *                         it started with no more, then it works in the short regime ({@code Duration.ZERO}: never
 *                         short, stop at the minimum budget)
 * @param idleLimit        once the outbox is empty, keep polling for new rows this long before returning
 *                         ({@code Duration.ZERO}: return as soon as it is empty)
 * @param idlePollMin      first poll interval while idle; doubles up to {@code idlePollMax}
 * @param idlePollMax      longest poll interval while idle
 * @param outageBackoffMax longest wait after a batch in which the broker or database was unavailable
 * @param batchesInFlight  1: one batch at a time (default); 2: claim and send the next batch while the previous one
 *                         waits for its acknowledgements (needs two database connections; pays off when the database
 *                         and broker are remote, not when they share the relay's CPU: docs/benchmarks.md)
 * @param minimumBudget    the least time in which one small batch can be claimed, sent, acknowledged and recorded
 *                         with {@link #WRAP_UP} to spare; no batch is claimed with this or less left, and a drain
 *                         started with no more fails loudly; must exceed {@link #WRAP_UP}
 */
public record RelaySettings(int batchSize, Duration safetyMargin, Duration idleLimit, Duration idlePollMin,
        Duration idlePollMax, Duration outageBackoffMax, int batchesInFlight, Duration minimumBudget) {

    /** Default {@link #minimumBudget()}. */
    public static final Duration DEFAULT_MINIMUM_BUDGET = Duration.ofSeconds(5);

    /**
     * Time kept after the last acknowledgement wait to release or record the batch, read the backlog and return:
     * a batch's acknowledgements are awaited until this much of the run is left, never longer.
     */
    public static final Duration WRAP_UP = Duration.ofSeconds(1);

    public RelaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (batchesInFlight < 1 || batchesInFlight > 2) {
            throw new IllegalArgumentException("batchesInFlight must be 1 or 2, was " + batchesInFlight);
        }
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        if (minimumBudget.compareTo(WRAP_UP) <= 0) {
            throw new IllegalArgumentException("minimumBudget must exceed the wrap-up time " + WRAP_UP + ", was " + minimumBudget);
        }
    }

    /** One batch in flight, default minimum budget. */
    public RelaySettings(int batchSize, Duration safetyMargin, Duration idleLimit, Duration idlePollMin,
            Duration idlePollMax, Duration outageBackoffMax) {
        this(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, 1);
    }

    /** Default minimum budget. */
    public RelaySettings(int batchSize, Duration safetyMargin, Duration idleLimit, Duration idlePollMin,
            Duration idlePollMax, Duration outageBackoffMax, int batchesInFlight) {
        this(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, batchesInFlight,
                DEFAULT_MINIMUM_BUDGET);
    }

    /**
     * The settings the relay function deploys with (its application.yml defaults, which Terraform sets too), for
     * callers that configure nothing: tests, benchmarks, embedders. Batch 2,000 rows, safety margin 30 s (the producer's
     * 5 s {@code max.block.ms} + 20 s {@code delivery.timeout.ms} + a commit), idle limit 5 s, idle polls 5–100 ms,
     * outage backoff up to 5 s, one batch in flight, minimum budget {@link #DEFAULT_MINIMUM_BUDGET}. The function never
     * calls this: it binds its own configuration, and its test {@code RelayConfigurationTest} fails if the two differ.
     */
    public static RelaySettings defaults() {
        return new RelaySettings(2000, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(5),
                Duration.ofMillis(100), Duration.ofSeconds(5), 1, DEFAULT_MINIMUM_BUDGET);
    }

    /**
     * Where a run that starts with {@code remainingAtStart} stops claiming: at the safety margin (but not below the
     * minimum budget) if it started above the margin, else at the minimum budget.
     */
    public Duration claimFloor(Duration remainingAtStart) {
        Duration normal = safetyMargin.compareTo(minimumBudget) > 0 ? safetyMargin : minimumBudget;
        return remainingAtStart.compareTo(safetyMargin) > 0 ? normal : minimumBudget;
    }

    /**
     * Rows to claim with {@code remaining} left: the full {@link #batchSize()} from the safety margin up, below it
     * the batch size scaled by the time left after {@link #WRAP_UP} over the margin, and at least 1.
     */
    public int batchSizeFor(Duration remaining) {
        if (safetyMargin.isZero() || remaining.compareTo(safetyMargin) >= 0) {
            return batchSize;
        }
        long usable = Math.max(0, remaining.minus(WRAP_UP).toMillis());
        long scaled = batchSize * usable / safetyMargin.toMillis();
        return (int) Math.max(1, Math.min(batchSize, scaled));
    }

    public RelaySettings withBatchesInFlight(int batches) {
        return new RelaySettings(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, batches,
                minimumBudget);
    }

    public RelaySettings withIdleLimit(Duration idle) {
        return new RelaySettings(batchSize, safetyMargin, idle, idlePollMin, idlePollMax, outageBackoffMax,
                batchesInFlight, minimumBudget);
    }

    public RelaySettings withSafetyMargin(Duration margin) {
        return new RelaySettings(batchSize, margin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax,
                batchesInFlight, minimumBudget);
    }

    public RelaySettings withBatchSize(int size) {
        return new RelaySettings(size, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax,
                batchesInFlight, minimumBudget);
    }

    public RelaySettings withMinimumBudget(Duration budget) {
        return new RelaySettings(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax,
                batchesInFlight, budget);
    }
}
