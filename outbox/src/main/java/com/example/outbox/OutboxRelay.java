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
     * @param remainingMillis time left for this run, e.g. Lambda's {@code Context::getRemainingTimeInMillis}
     * @throws InterruptedException if the thread is interrupted; the current batch is released unpublished-marked
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
        while (true) {
            if (remainingMillis.getAsLong() < marginMillis) {
                reason = RelayRun.StopReason.OUT_OF_TIME;
                break;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("relay interrupted");
            }
            BatchOutcome outcome;
            int size;
            try (ClaimedBatch batch = claimer.claim(settings.batchSize())) {
                size = batch.messages().size();
                if (size == 0) {
                    outcome = null;
                } else {
                    // A relay frozen after claiming must not send rows another relay may own by now.
                    batch.verifyStillHeld();
                    List<PublishResult> results = publisher.publish(batch.messages());
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("relay interrupted before marking");
                    }
                    outcome = batch.complete(results);
                }
            } catch (ClaimLostException e) {
                claimsLost++;
                log.warn("Claim expired before the batch was recorded; another relay will publish these rows: {}",
                        e.getMessage());
                continue;
            } catch (SQLException e) {
                outageMillis = nextOutageBackoff(outageMillis);
                log.warn("Outbox database unavailable, retrying in {} ms: {}", outageMillis, e.getMessage());
                sleepWithin(outageMillis, remainingMillis, marginMillis);
                continue;
            }
            if (size == 0) {
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
                continue;
            }
            idleSince = -1;
            pollMillis = settings.idlePollMin().toMillis();
            batches++;
            published += outcome.published();
            parked += outcome.parked();
            retried += outcome.retried();
            failures += size - outcome.published();
            if (outcome.transientFailures() > 0) {
                // Broker down or unreachable: slow down instead of spinning through the backlog.
                outageMillis = nextOutageBackoff(outageMillis);
                log.warn("{} of {} messages failed transiently, backing off {} ms", outcome.transientFailures(), size,
                        outageMillis);
                sleepWithin(outageMillis, remainingMillis, marginMillis);
            } else {
                outageMillis = 0;
            }
        }
        return new RelayRun(published, parked, retried, batches, failures, claimsLost,
                Duration.ofNanos(System.nanoTime() - started), reason);
    }

    private long nextOutageBackoff(long current) {
        return Math.min(current == 0 ? 100 : current * 2, settings.outageBackoffMax().toMillis());
    }

    private static void sleepWithin(long millis, LongSupplier remaining, long margin) throws InterruptedException {
        long allowed = Math.max(0, remaining.getAsLong() - margin);
        Thread.sleep(Math.min(millis, allowed));
    }
}
