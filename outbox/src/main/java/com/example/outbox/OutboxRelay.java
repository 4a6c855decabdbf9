package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 * <p>Not thread-safe; run one drain per instance at a time. Several instances (threads, processes,
 * overlapping Lambda invocations) may drain the same outbox concurrently.
 */
public final class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxClaimer claimer;
    private final MessagePublisher publisher;
    private final RelaySettings settings;

    public OutboxRelay(OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings) {
        this.claimer = Objects.requireNonNull(claimer);
        this.publisher = Objects.requireNonNull(publisher);
        this.settings = Objects.requireNonNull(settings);
    }

    /**
     * Drains until idle or out of time.
     *
     * <p>With {@link RelaySettings#batchesInFlight()} 2, the next batch is claimed and sent while the previous one
     * waits for its acknowledgements. That is safe by the claim rule: the previous batch's rows are still locked
     * and unpublished, so the next batch cannot contain a later row of any of their aggregates.
     *
     * @param remainingMillis time left for this run, e.g. Lambda's {@code Context::getRemainingTimeInMillis}
     * @throws InterruptedException if the thread is interrupted; unfinished batches are released unmarked
     */
    public RelayRun drain(LongSupplier remainingMillis) throws InterruptedException {
        long started = System.nanoTime();
        long published = 0;
        long parked = 0;
        long retried = 0;
        long batches = 0;
        long failures = 0;
        long claimsLost = 0;
        long idleSince = -1;
        long pollMillis = settings.idlePollMin().toMillis();
        long outageMillis = 0;
        long marginMillis = settings.safetyMargin().toMillis();
        RelayRun.StopReason reason;
        Sending inFlight = null;
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("relay interrupted");
                }
                boolean outOfTime = remainingMillis.getAsLong() < marginMillis;
                boolean databaseDown = false;
                Sending next = null;
                if (!outOfTime && (inFlight == null || settings.batchesInFlight() > 1)) {
                    try {
                        next = claimAndSend();
                    } catch (ClaimLostException e) {
                        claimsLost++;
                        log.warn("Claim expired before sending; another relay will publish these rows: {}", e.getMessage());
                    } catch (SQLException e) {
                        databaseDown = true;
                        log.warn("Outbox database unavailable while claiming: {}", e.getMessage());
                    }
                }
                Sending finishing = inFlight;
                inFlight = next;
                if (finishing != null) {
                    int size = finishing.batch().messages().size();
                    try (ClaimedBatch batch = finishing.batch()) {
                        List<PublishResult> results = finishing.acks().await();
                        if (Thread.currentThread().isInterrupted()) {
                            throw new InterruptedException("relay interrupted before marking");
                        }
                        BatchOutcome outcome = batch.complete(results);
                        batches++;
                        published += outcome.published();
                        parked += outcome.parked();
                        retried += outcome.retried();
                        failures += size - outcome.published();
                        if (outcome.transientFailures() > 0) {
                            // Broker down or unreachable: slow down instead of spinning through the backlog.
                            outageMillis = nextOutageBackoff(outageMillis);
                            log.warn("{} of {} messages failed transiently, backing off {} ms",
                                    outcome.transientFailures(), size, outageMillis);
                            sleepWithin(outageMillis, remainingMillis, marginMillis);
                        } else if (!databaseDown) {
                            outageMillis = 0;
                        }
                    } catch (ClaimLostException e) {
                        claimsLost++;
                        log.warn("Claim expired before the batch was recorded; another relay will publish these rows: {}",
                                e.getMessage());
                    } catch (SQLException e) {
                        databaseDown = true;
                        log.warn("Outbox database unavailable while recording a batch: {}", e.getMessage());
                    }
                    idleSince = -1;
                    pollMillis = settings.idlePollMin().toMillis();
                }
                if (databaseDown) {
                    outageMillis = nextOutageBackoff(outageMillis);
                    log.warn("Retrying in {} ms", outageMillis);
                    sleepWithin(outageMillis, remainingMillis, marginMillis);
                    continue;
                }
                if (inFlight != null || finishing != null) {
                    // Busy (or a batch just finished, which may have unblocked later rows): claim again at once.
                    idleSince = -1;
                    continue;
                }
                if (outOfTime) {
                    reason = RelayRun.StopReason.OUT_OF_TIME;
                    break;
                }
                long now = System.nanoTime();
                if (idleSince < 0) {
                    idleSince = now;
                }
                if (Duration.ofNanos(now - idleSince).compareTo(settings.idleLimit()) >= 0) {
                    reason = RelayRun.StopReason.IDLE;
                    break;
                }
                sleepWithin(pollMillis, remainingMillis, marginMillis);
                pollMillis = Math.min(pollMillis * 2, settings.idlePollMax().toMillis());
            }
        } finally {
            if (inFlight != null) {
                // Thrown out of the loop: release the claim unmarked (its rows are sent again later).
                inFlight.batch().close();
            }
        }
        return new RelayRun(published, parked, retried, batches, failures, claimsLost,
                Duration.ofNanos(System.nanoTime() - started), reason);
    }

    /** Claims a batch and hands it to the publisher; {@code null} if there is nothing to claim. */
    private Sending claimAndSend() throws SQLException {
        ClaimedBatch batch = claimer.claim(settings.batchSize());
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

    /** A claimed batch whose messages were handed to the publisher. */
    private record Sending(ClaimedBatch batch, MessagePublisher.InFlight acks) {
    }

    private long nextOutageBackoff(long current) {
        return Math.min(current == 0 ? 100 : current * 2, settings.outageBackoffMax().toMillis());
    }

    private static void sleepWithin(long millis, LongSupplier remaining, long margin) throws InterruptedException {
        long allowed = Math.max(0, remaining.getAsLong() - margin);
        Thread.sleep(Math.min(millis, allowed));
    }
}
