package com.example.outbox.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxRelay;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RelayListener;
import com.example.outbox.RelayRun;
import com.example.outbox.RelaySettings;
import com.example.outbox.RelayTimeBudgetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The relay loop's timing (idle limit, poll and outage backoff, the time budget) on a manual clock: minutes of
 * relay time run in milliseconds, and every wait is asserted exactly.
 */
class RelayTimingTest {

    final ManualClock clock = new ManualClock();
    final InMemoryOutbox outbox = new InMemoryOutbox();

    static RelaySettings settings() {
        return new RelaySettings(1000, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(5),
                Duration.ofMillis(100), Duration.ofSeconds(1), 1, Duration.ofSeconds(5));
    }

    /** Acknowledges everything; each batch takes {@code latency} on the manual clock. */
    MessagePublisher acking(Duration latency) {
        return answering(messages -> {
            clock.advance(latency);
            return messages.stream().map(PublishResult::acked).toList();
        });
    }

    static MessagePublisher answering(Function<List<PendingMessage>, List<PublishResult>> answer) {
        return new MessagePublisher() {
            @Override
            public List<PublishResult> publish(List<PendingMessage> messages) {
                return answer.apply(messages);
            }

            @Override
            public void close() {
            }
        };
    }

    OutboxRelay relay(MessagePublisher publisher, RelaySettings settings) {
        return new OutboxRelay(outbox, publisher, settings, clock, RelayListener.NONE);
    }

    @Test
    void idleLimitIsMeasuredOnTheClockWithPollsDoublingToTheMaximum() throws Exception {
        long start = clock.nanoTime();
        long realStart = System.nanoTime();

        RelayRun run = relay(acking(Duration.ZERO), settings().withIdleLimit(Duration.ofMinutes(2)))
                .drain(clock.remaining(Duration.ofMinutes(15)));

        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.IDLE);
        assertThat(clock.sleeps.subList(0, 6)).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(100));
        assertThat(clock.sleeps.subList(6, clock.sleeps.size())).allMatch(d -> d.equals(Duration.ofMillis(100)));
        assertThat(clock.since(start)).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(2).plusMillis(100));
        assertThat(run.duration()).isEqualTo(clock.since(start));
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).as("no real sleeping").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBatchResetsTheIdleSpellAndThePollInterval() throws Exception {
        var publisher = acking(Duration.ZERO);
        var settings = settings().withIdleLimit(Duration.ofSeconds(1));
        var relay = new OutboxRelay(outbox, publisher, settings, clock, new RelayListener() {
            boolean arrived;

            @Override
            public void looping(Duration remaining) {
                // After eight idle polls, one row arrives.
                if (!arrived && clock.sleeps.size() == 8) {
                    arrived = true;
                    outbox.add(1);
                }
            }
        });
        long start = clock.nanoTime();
        RelayRun run = relay.drain(clock.remaining(Duration.ofMinutes(1)));

        assertThat(run.published()).isEqualTo(1);
        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.IDLE);
        // 8 polls (5+10+20+40+80+100+100+100 = 455 ms), the row, then a fresh spell of a full second from 5 ms up.
        assertThat(clock.sleeps.get(8)).isEqualTo(Duration.ofMillis(5));
        assertThat(clock.since(start)).isBetween(Duration.ofMillis(1455), Duration.ofMillis(1555));
    }

    @Test
    void outageBackoffDoublesToItsMaximumAndStartsOverAfterASuccessfulBatch() throws Exception {
        outbox.add(3);
        var calls = new ArrayList<Integer>();
        // Batches 1-6 fail transiently (broker down), 7 succeeds for the first row, 8 fails, then all succeed.
        MessagePublisher flaky = answering(messages -> {
            calls.add(messages.size());
            int call = calls.size();
            boolean down = call <= 6 || call == 8;
            var results = new ArrayList<PublishResult>();
            for (int i = 0; i < messages.size(); i++) {
                boolean ack = !down && (call != 7 || i == 0);
                results.add(ack ? PublishResult.acked(messages.get(i))
                        : PublishResult.transientFailure(messages.get(i), "broker down"));
            }
            return results;
        });

        RelayRun run = relay(flaky, settings().withIdleLimit(Duration.ZERO)).drain(clock.remaining(Duration.ofMinutes(5)));

        assertThat(run.published()).isEqualTo(3);
        assertThat(clock.sleeps).containsExactly(
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofSeconds(1), Duration.ofSeconds(1), // capped at outageBackoffMax
                Duration.ofMillis(1000), // call 7: one row failed, so still an outage (the 7th in a row)
                Duration.ofSeconds(1)); // call 8
        assertThat(run.publishFailures()).isEqualTo(6 * 3 + 2 + 2);
    }

    @Test
    void outageBackoffStartsOverAfterABatchWithoutFailures() throws Exception {
        outbox.add(2);
        var calls = new ArrayList<Integer>();
        // One row per batch: batches 1 and 2 fail, 3 succeeds, 4 fails, 5 succeeds.
        MessagePublisher flaky = answering(messages -> {
            calls.add(messages.size());
            int call = calls.size();
            boolean down = call <= 2 || call == 4;
            return messages.stream().map(m -> down ? PublishResult.transientFailure(m, "down") : PublishResult.acked(m))
                    .toList();
        });
        var settings = settings().withIdleLimit(Duration.ZERO).withBatchSize(1);

        RelayRun run = relay(flaky, settings).drain(clock.remaining(Duration.ofMinutes(5)));

        assertThat(run.published()).isEqualTo(2);
        assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(100)); // after call 3 succeeded, call 4's outage starts over at 100 ms
    }

    @Test
    void aShortRunStopsClaimingAtTheMinimumBudgetAndNoWaitReachesPastIt() throws Exception {
        long start = clock.nanoTime();

        RelayRun run = relay(acking(Duration.ZERO), settings().withIdleLimit(Duration.ofHours(1)))
                .drain(clock.remaining(Duration.ofSeconds(20)));

        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.OUT_OF_TIME);
        // A short run (20 s is below the 30 s margin) works down to the minimum budget.
        assertThat(clock.since(start)).as("20 s minus the 5 s minimum budget, exactly").isEqualTo(Duration.ofSeconds(15));
        assertThat(outbox.claimSizes).as("polled all along").hasSizeGreaterThan(100);
    }

    @Test
    void aRunStartedAboveTheMarginStopsClaimingAtTheMarginWithFullBatches() throws Exception {
        outbox.add(100_000);
        var remaining = clock.remaining(Duration.ofSeconds(40));

        RelayRun run = relay(acking(Duration.ofSeconds(2)), settings()).drain(remaining);

        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.OUT_OF_TIME);
        // One batch per 2 s with 40, 38, 36, 34 and 32 s left; with 30 s left the next run takes over.
        assertThat(outbox.claimSizes).containsExactly(1000, 1000, 1000, 1000, 1000);
        assertThat(remaining.getAsLong()).isEqualTo(30_000);
    }

    @Test
    void aShortRunClaimsBatchesShrinkingWithTheTimeLeftDownToTheMinimumBudget() throws Exception {
        outbox.add(100_000);
        var remaining = clock.remaining(Duration.ofSeconds(28));

        RelayRun run = relay(acking(Duration.ofSeconds(2)), settings()).drain(remaining);

        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.OUT_OF_TIME);
        // Started below the 30 s margin: one batch per 2 s of 1000 * (left - 1 s) / 30 s, while more than the 5 s
        // minimum budget is left (the last one with 6 s left).
        assertThat(outbox.claimSizes).containsExactly(900, 833, 766, 700, 633, 566, 500, 433, 366, 300, 233, 166);
        assertThat(run.published()).isEqualTo(outbox.claimSizes.stream().mapToLong(Integer::longValue).sum());
        assertThat(remaining.getAsLong()).isEqualTo(4000);
    }

    @Test
    void theAcknowledgementWaitIsCutToTheTimeLeftAndTheBatchIsAbandonedUnmarked() throws Exception {
        outbox.add(50);
        var waits = new ArrayList<Duration>();
        MessagePublisher neverAcks = new MessagePublisher() {
            @Override
            public List<PublishResult> publish(List<PendingMessage> messages) {
                throw new AssertionError("the relay must bound its wait");
            }

            @Override
            public InFlight send(List<PendingMessage> messages) {
                return new InFlight() {
                    @Override
                    public List<PublishResult> await() {
                        throw new AssertionError("the relay must bound its wait");
                    }

                    @Override
                    public List<PublishResult> await(Duration timeout) throws TimeoutException {
                        waits.add(timeout);
                        clock.advance(timeout);
                        throw new TimeoutException("no acks");
                    }
                };
            }

            @Override
            public void close() {
            }
        };

        RelayRun run = relay(neverAcks, settings()).drain(clock.remaining(Duration.ofSeconds(8)));

        assertThat(waits).containsExactly(Duration.ofSeconds(7)); // 8 s left minus the 1 s wrap-up
        assertThat(run.abandoned()).isEqualTo(50);
        assertThat(run.published()).isZero();
        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.OUT_OF_TIME);
        assertThat(outbox.released).as("released unmarked, to be sent again").isEqualTo(50);
        assertThat(outbox.pending).hasSize(50);
        assertThat(outbox.claimSizes).containsExactly(233); // 1000 * (8 s - 1 s) / 30 s
    }

    @Test
    void aRunStartedWithLessThanTheMinimumBudgetThrowsAndClaimsNothing() {
        outbox.add(40);
        var stopped = new ArrayList<String>();
        var relay = new OutboxRelay(outbox, acking(Duration.ZERO), settings(), clock, new RelayListener() {
            @Override
            public void stopped() {
                stopped.add("stopped");
            }
        });

        assertThatThrownBy(() -> relay.drain(clock.remaining(Duration.ofSeconds(3))))
                .isInstanceOf(RelayTimeBudgetException.class)
                .hasMessageContaining("3000 ms left").hasMessageContaining("5000 ms");
        assertThat(outbox.claimSizes).isEmpty();
        assertThat(outbox.pending).hasSize(40);
        assertThat(stopped).containsExactly("stopped");
    }

    @Test
    void listenerHearsEveryLoopWithTheTimeLeftAndTheStop() throws Exception {
        outbox.add(3);
        var heard = new ArrayList<String>();
        var relay = new OutboxRelay(outbox, acking(Duration.ofMillis(250)), settings().withBatchSize(2)
                .withIdleLimit(Duration.ZERO), clock, new RelayListener() {
            @Override
            public void looping(Duration remaining) {
                heard.add("loop " + remaining.toMillis());
            }

            @Override
            public void stopped() {
                heard.add("stopped");
            }
        });

        relay.drain(clock.remaining(Duration.ofMinutes(1)));

        // claim and send 2 (this publisher answers at once: 250 ms) | record | claim and send 1 | record |
        // nothing left: idle limit 0 reached.
        assertThat(heard).containsExactly("loop 60000", "loop 59750", "loop 59750", "loop 59500", "loop 59500",
                "stopped");
    }
}
