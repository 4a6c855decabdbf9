package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves outbox rows to the broker: claim a batch, publish it, record the results, repeat until the outbox
 * stays empty for the idle limit or time runs out.
 *
 * <p>Order and delivery come from its parts: the {@link OutboxClaimer} never hands out a row whose
 * aggregate has an earlier unpublished row, and a row is marked published only after the
 * {@link MessagePublisher} reports the broker's acknowledgement, in the same transaction that held the claim.
 * A relay that dies anywhere in between leaves its rows pending, so another run publishes them again
 * (at least once; consumers dedupe on the message id).
 *
 * <p>Time: every wait is bounded by the time the caller says is left (see {@link RelaySettings} for the budget
 * rules and ADR 0015); waiting and reading the time go through a {@link RelayClock}, so tests drive the loop on a
 * manual clock.
 *
 * <p>Not thread-safe; run one drain per instance at a time. Several instances (threads, processes,
 * overlapping Lambda invocations) may drain the same outbox concurrently.
 */
public final class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Longest acknowledgement wait ever asked of a publisher (keeps "no deadline" callers clear of overflow). */
    private static final Duration LONGEST_ACK_WAIT = Duration.ofDays(1);

    private final OutboxClaimer claimer;
    private final MessagePublisher publisher;
    private final RelaySettings settings;
    private final RelayClock clock;
    private final RelayListener listener;
    /** Wait after an outage: 100 ms doubling to the settings' maximum, the same rule as for rejected messages. */
    private final RetryPolicy outageBackoff;

    public OutboxRelay(OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings) {
        this(claimer, publisher, settings, RelayClock.SYSTEM, RelayListener.NONE);
    }

    public OutboxRelay(OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings, RelayClock clock,
            RelayListener listener) {
        this.claimer = Objects.requireNonNull(claimer);
        this.publisher = Objects.requireNonNull(publisher);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.listener = Objects.requireNonNull(listener);
        this.outageBackoff = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(100), settings.outageBackoffMax());
    }

    /**
     * Drains until idle or out of time.
     *
     * <p>With {@link RelaySettings#batchesInFlight()} 2, the next batch is claimed and sent while the previous one
     * waits for its acknowledgements. That is safe by the claim rule: the previous batch's rows are still locked
     * and unpublished, so the next batch cannot contain a later row of any of their aggregates.
     *
     * @param remainingMillis time left for this run, e.g. Lambda's {@code Context::getRemainingTimeInMillis}
     * @throws RelayTimeBudgetException if no more than {@link RelaySettings#minimumBudget()} is left at the start;
     *                                  nothing was claimed
     * @throws InterruptedException if the thread is interrupted; unfinished batches are released unmarked
     */
    public RelayRun drain(LongSupplier remainingMillis) throws InterruptedException {
        Duration atStart = Duration.ofMillis(remainingMillis.getAsLong());
        if (atStart.compareTo(settings.minimumBudget()) <= 0) {
            listener.stopped();
            throw new RelayTimeBudgetException(atStart, settings.minimumBudget());
        }
        var run = new Run(remainingMillis, settings.claimFloor(atStart));
        try {
            return run.untilIdleOrOutOfTime();
        } finally {
            run.releaseUnfinished();
            listener.stopped();
        }
    }

    /** A claimed batch whose messages were handed to the publisher. */
    private record Sending(ClaimedBatch batch, MessagePublisher.InFlight acks) {
    }

    /** What one claim attempt gave: a batch being sent, nothing to send, or a database outage. */
    private record Claim(Sending sending, boolean databaseDown) {
        static final Claim NOTHING = new Claim(null, false);
        static final Claim DATABASE_DOWN = new Claim(null, true);
    }

    /** The state of one drain: counters, the batch in flight, idle and outage tracking. */
    private final class Run {

        private final LongSupplier remainingMillis;
        private final long startedNanos = clock.nanoTime();
        private long published;
        private long parked;
        private long retried;
        private long batches;
        private long publishFailures;
        private long claimsLost;
        private long abandoned;
        /** Sent, acknowledgements outstanding; {@code null} if none. */
        private Sending inFlight;
        /** When the outbox was first seen empty in the current quiet spell; -1 while busy. */
        private long idleSinceNanos = -1;
        private Duration pollInterval = settings.idlePollMin();
        /** Consecutive outages met (broker or database); 0 after a pass without one. */
        private int outages;
        /** No batch is claimed, and no wait reaches, past the point where only this much time is left. */
        private final Duration claimFloor;

        Run(LongSupplier remainingMillis, Duration claimFloor) {
            this.remainingMillis = remainingMillis;
            this.claimFloor = claimFloor;
        }

        RelayRun untilIdleOrOutOfTime() throws InterruptedException {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("relay interrupted");
                }
                Duration remaining = remaining();
                listener.looping(remaining);
                boolean mayClaim = remaining.compareTo(claimFloor) > 0;
                Claim claim = mayClaim && (inFlight == null || settings.batchesInFlight() > 1)
                        ? claimAndSend(remaining)
                        : Claim.NOTHING;
                Sending finishing = inFlight;
                inFlight = claim.sending();
                boolean databaseDown = claim.databaseDown();
                if (finishing != null) {
                    databaseDown |= awaitAcksAndRecord(finishing, databaseDown);
                    idleSinceNanos = -1;
                    pollInterval = settings.idlePollMin();
                }
                if (databaseDown) {
                    backOffAfterOutage("Retrying in {} ms");
                    continue;
                }
                if (inFlight != null || finishing != null) {
                    // Busy (or a batch just finished, which may have unblocked later rows): claim again at once.
                    idleSinceNanos = -1;
                    continue;
                }
                if (!mayClaim) {
                    return result(RelayRun.StopReason.OUT_OF_TIME);
                }
                if (idleLimitReached()) {
                    return result(RelayRun.StopReason.IDLE);
                }
                idleWait();
            }
        }

        Duration remaining() {
            return Duration.ofMillis(remainingMillis.getAsLong());
        }

        /** Claims a batch sized for the time left and hands it to the publisher. */
        private Claim claimAndSend(Duration remaining) {
            try {
                Sending sending = claimAndSend(settings.batchSizeFor(remaining));
                return sending == null ? Claim.NOTHING : new Claim(sending, false);
            } catch (ClaimLostException e) {
                claimsLost++;
                log.warn("Claim expired before sending; another relay will publish these rows: {}", e.getMessage());
                return Claim.NOTHING;
            } catch (SQLException e) {
                log.warn("Outbox database unavailable while claiming: {}", e.getMessage());
                return Claim.DATABASE_DOWN;
            }
        }

        /** {@code null} if there is nothing to claim. */
        private Sending claimAndSend(int maxMessages) throws SQLException {
            ClaimedBatch batch = claimer.claim(maxMessages);
            parked += batch.parkedAtClaim();
            try {
                if (batch.isEmpty()) {
                    batch.close();
                    return null;
                }
                // A relay frozen after claiming must not send rows another relay may own by now.
                batch.verifyStillHeld();
                return new Sending(batch, publisher.send(batch.messages()));
            } catch (SQLException | RuntimeException e) {
                batch.close();
                throw e;
            }
        }

        /**
         * Waits for the batch's acknowledgements, at most until {@link RelaySettings#WRAP_UP} before the end, and
         * records them; a batch not acknowledged in time is released unmarked.
         *
         * @return whether the database was unavailable while recording
         */
        private boolean awaitAcksAndRecord(Sending sending, boolean databaseDownWhileClaiming)
                throws InterruptedException {
            int size = sending.batch().messages().size();
            Duration ackWait = ackWaitLimit();
            List<PublishResult> results;
            int parkedNow;
            try (ClaimedBatch batch = sending.batch()) {
                results = sending.acks().await(ackWait);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("relay interrupted before marking");
                }
                parkedNow = batch.complete(results);
            } catch (TimeoutException e) {
                abandoned += size;
                log.warn("{} messages not acknowledged within the {} ms left to wait; batch abandoned unmarked,"
                        + " its rows are sent again later", size, ackWait.toMillis());
                return false;
            } catch (ClaimLostException e) {
                claimsLost++;
                log.warn("Claim expired before the batch was recorded; another relay will publish these rows: {}",
                        e.getMessage());
                return false;
            } catch (SQLException e) {
                log.warn("Outbox database unavailable while recording a batch: {}", e.getMessage());
                return true;
            }
            long acked = results.stream().filter(PublishResult::acked).count();
            long transientFailures = results.stream()
                    .filter(r -> r.outcome() == PublishResult.Outcome.TRANSIENT_FAILURE).count();
            batches++;
            published += acked;
            parked += parkedNow;
            retried += results.size() - acked - parkedNow;
            publishFailures += size - acked;
            if (transientFailures > 0) {
                // Broker down or unreachable: slow down instead of spinning through the backlog.
                backOffAfterOutage(transientFailures + " of " + size
                        + " messages failed transiently, backing off {} ms");
            } else if (!databaseDownWhileClaiming) {
                outages = 0;
            }
            return false;
        }

        /** Acknowledgements are awaited until {@link RelaySettings#WRAP_UP} before the end of the run. */
        private Duration ackWaitLimit() {
            Duration limit = remaining().minus(RelaySettings.WRAP_UP);
            if (limit.isNegative()) {
                return Duration.ZERO;
            }
            return limit.compareTo(LONGEST_ACK_WAIT) > 0 ? LONGEST_ACK_WAIT : limit;
        }

        private void backOffAfterOutage(String message) throws InterruptedException {
            outages++;
            Duration wait = outageBackoff.backoffAfter(outages);
            log.warn(message, wait.toMillis());
            sleepWithinBudget(wait);
        }

        /** Starts or continues the quiet spell; true once it has lasted the idle limit. */
        private boolean idleLimitReached() {
            long now = clock.nanoTime();
            if (idleSinceNanos < 0) {
                idleSinceNanos = now;
            }
            return Duration.ofNanos(now - idleSinceNanos).compareTo(settings.idleLimit()) >= 0;
        }

        /** Waits one poll interval, then doubles it up to the maximum. */
        private void idleWait() throws InterruptedException {
            sleepWithinBudget(pollInterval);
            Duration doubled = pollInterval.multipliedBy(2);
            pollInterval = doubled.compareTo(settings.idlePollMax()) < 0 ? doubled : settings.idlePollMax();
        }

        /** Never sleeps past the point where claiming stops. */
        private void sleepWithinBudget(Duration wait) throws InterruptedException {
            Duration allowed = remaining().minus(claimFloor);
            if (allowed.isNegative()) {
                allowed = Duration.ZERO;
            }
            clock.sleep(wait.compareTo(allowed) < 0 ? wait : allowed);
        }

        private RelayRun result(RelayRun.StopReason reason) {
            return new RelayRun(published, parked, retried, batches, publishFailures, claimsLost, abandoned,
                    Duration.ofNanos(clock.nanoTime() - startedNanos), reason);
        }

        /** Thrown out of the loop: release the claim unmarked (its rows are sent again later). */
        void releaseUnfinished() {
            if (inFlight != null) {
                inFlight.batch().close();
                inFlight = null;
            }
        }
    }
}
