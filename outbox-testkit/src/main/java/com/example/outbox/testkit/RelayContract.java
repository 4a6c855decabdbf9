package com.example.outbox.testkit;

import static com.example.outbox.testkit.OutboxTestbed.assertCompleteAndOrdered;
import static com.example.outbox.testkit.OutboxTestbed.copies;
import static com.example.outbox.testkit.OutboxTestbed.distinctIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.ParkedEvent;
import com.example.outbox.jdbc.JdbcInbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery guarantees every relay of this outbox must keep, proven against the real PostgreSQL and Kafka broker
 * of {@code SharedServers}. A relay implementation runs them with a subclass that returns its {@link RelayUnderTest}:
 *
 * <pre>{@code
 * class PollingRelayContractTest extends RelayContract {
 *     @Override
 *     protected RelayUnderTest relayUnderTest() {
 *         return new PollingRelay();
 *     }
 * }
 * }</pre>
 *
 * <p>Every test judges what a consumer sees on the topic: each event present, and per aggregate the first deliveries
 * (deduplicated on {@code ce_id}) in append order. Duplicates are allowed (delivery is at least once) except where a
 * test says otherwise. docs/guarantees.md maps each guarantee to its test here.
 *
 * <p>The broker-outage test stops and restarts the shared broker: run the suite in a JVM whose other tests do not
 * use Kafka concurrently (Surefire's default, one test class at a time, does that).
 */
@Timeout(180)
public abstract class RelayContract {

    private static final Logger logger = LoggerFactory.getLogger(RelayContract.class);

    /** Starts the shared servers before the first test, so that no test's time includes their start-up. */
    @BeforeAll
    static void startServers() {
        OutboxTestbed.dataSource();
        OutboxTestbed.kafka();
    }

    /** The relay implementation under test; called once per test. */
    protected abstract RelayUnderTest relayUnderTest();

    /** G1 at least once, and G3 order, across a broker outage, including rows committed while the broker was down. */
    @Test
    void atLeastOnceAcrossABrokerOutage() throws Exception {
        var relay = relayUnderTest();
        var testbed = new OutboxTestbed();
        int aggregates = 100;
        int before = 30;
        testbed.append(testbed.interleaved(aggregates, before));
        var kafka = OutboxTestbed.kafka();
        var log = optional(relay.deliveryLog());
        RelayReport report;
        try (var running = relay.start(testbed, 0)) {
            testbed.awaitDelivered(1, Duration.ofSeconds(30));
            kafka.stop();
            logger.info("Broker stopped while {} drains", relay.name());
            try {
                // Writers keep committing while the broker is down; those events must arrive too.
                testbed.append(testbed.interleaved(aggregates, before, 1));
                Thread.sleep(3000);
                if (log.isPresent()) {
                    long recorded = log.get().recorded();
                    Thread.sleep(1000);
                    assertThat(log.get().recorded()).as("nothing is recorded as delivered while the broker is down")
                            .isEqualTo(recorded);
                }
            } finally {
                kafka.start();
                logger.info("Broker started again");
            }
            var records = testbed.awaitDelivered(aggregates * (before + 1), Duration.ofSeconds(120));
            report = running.stop();
            assertCompleteAndOrdered(records, aggregates, before + 1);
        }
        report.publishFailures().ifPresent(failures -> assertThat(failures).as("the outage was felt").isPositive());
        var parking = optional(relay.parking());
        if (parking.isPresent()) {
            assertThat(parking.get().parked()).as("an outage parks nothing").isEmpty();
        }
    }

    /** G2: a relay killed after the broker's ack and before it recorded it loses nothing; the rows are sent again. */
    @Test
    void crashBetweenAckAndMarkLosesNothing() throws Exception {
        var relay = relayUnderTest();
        crashBetweenAckAndMarkScenario(relay, relay::crashBetweenAckAndMark);
    }

    /**
     * The body of {@link #crashBetweenAckAndMarkLosesNothing()}, for subclasses that add their own crash variants
     * (for example a relay with two batches in flight).
     */
    protected final void crashBetweenAckAndMarkScenario(RelayUnderTest relay, TestbedAction crash) throws Exception {
        var testbed = new OutboxTestbed();
        int aggregates = 20;
        int perAggregate = 3;
        testbed.append(testbed.interleaved(aggregates, perAggregate));

        crash.run(testbed);
        var sentBeforeCrash = distinctIds(testbed.awaitDelivered(1, Duration.ofSeconds(30)));
        var log = optional(relay.deliveryLog());
        if (log.isPresent()) {
            assertThat(log.get().recorded()).as("the crashed relay recorded nothing").isZero();
        }

        try (var running = relay.start(testbed, 0)) {
            // Every event is on the topic already; wait for the copies, which a slow-starting relay sends later.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            var seen = copies(testbed.awaitDelivered(aggregates * perAggregate, Duration.ofSeconds(60)));
            while (!sentBeforeCrash.stream().allMatch(id -> seen.getOrDefault(id, 0L) >= 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                seen.putAll(copies(testbed.consume(aggregates * perAggregate, Duration.ofSeconds(30))));
            }
            running.stop();
        }
        var records = testbed.consume(aggregates * perAggregate, Duration.ofSeconds(30));
        var copies = copies(records);
        assertThat(sentBeforeCrash).as("every event acknowledged before the crash was sent again")
                .allSatisfy(id -> assertThat(copies.get(id)).isGreaterThanOrEqualTo(2));
        assertCompleteAndOrdered(records, aggregates, perAggregate);
        // G7 end to end: a consumer applying through the inbox applies each event once despite the copies.
        int applied = OutboxTestbed.applyThroughInbox(records, new JdbcInbox(), "kit-" + UUID.randomUUID());
        assertThat(records.size()).isGreaterThan(aggregates * perAggregate);
        assertThat(applied).isEqualTo(aggregates * perAggregate);
    }

    /** G3: per-aggregate order with at least three relays draining one outbox at once; nothing missing. */
    @Test
    void perAggregateOrderWithConcurrentRelays() throws Exception {
        var relay = relayUnderTest();
        int instances = require(relay.name(), relay.concurrency()).instances();
        assertThat(instances).as("concurrent instances the ordering test runs").isGreaterThanOrEqualTo(3);
        var testbed = new OutboxTestbed();
        int aggregates = 500;
        int perAggregate = 20;
        testbed.append(testbed.interleaved(aggregates, perAggregate));

        var running = new ArrayList<RunningRelay>();
        var reports = new ArrayList<RelayReport>();
        List<ConsumerRecord<String, byte[]>> records;
        try {
            for (int i = 0; i < instances; i++) {
                running.add(relay.start(testbed, i));
            }
            records = testbed.awaitDelivered(aggregates * perAggregate, Duration.ofSeconds(120));
        } finally {
            for (var r : running) {
                reports.add(r.stop());
            }
        }
        assertCompleteAndOrdered(records, aggregates, perAggregate);
        if (reports.stream().allMatch(r -> r.published().isPresent())) {
            assertThat(reports.stream().mapToLong(r -> r.published().getAsLong()).sum())
                    .as("events recorded as delivered").isEqualTo(aggregates * perAggregate);
            assertThat(reports.stream().filter(r -> r.published().getAsLong() > 0).count())
                    .as("the relays really shared the work").isGreaterThan(1);
        }
    }

    /**
     * G3 for a relay that runs as one instance (a CDC connector reads its replication slot with one task): 5,000
     * events over 250 aggregates, interleaved, first deliveries in append order per aggregate, nothing missing.
     */
    @Test
    void perAggregateOrderWithOneRelay() throws Exception {
        var relay = relayUnderTest();
        var testbed = new OutboxTestbed();
        int aggregates = 250;
        int perAggregate = 20;
        testbed.append(testbed.interleaved(aggregates, perAggregate / 2));
        try (var running = relay.start(testbed, 0)) {
            // Half committed before the relay started, half while it runs.
            testbed.append(testbed.interleaved(aggregates, perAggregate / 2, perAggregate / 2));
            var records = testbed.awaitDelivered(aggregates * perAggregate, Duration.ofSeconds(120));
            running.stop();
            assertCompleteAndOrdered(records, aggregates, perAggregate);
        }
    }

    /**
     * G4: a zombie (an instance that stalls holding work, then wakes after another took it over) puts no stale copy
     * on the topic and cannot disturb the order.
     */
    @Test
    void zombieRelayPublishesNothingStale() throws Exception {
        var relay = relayUnderTest();
        var zombieHook = require(relay.name(), relay.zombie());
        var testbed = new OutboxTestbed();
        int aggregates = 30;
        int perAggregate = 5;
        testbed.append(testbed.interleaved(aggregates, perAggregate));

        RelayReport zombieReport;
        try (var zombie = zombieHook.startStalled(testbed)) {
            try (var live = relay.start(testbed, 0)) {
                testbed.awaitDelivered(aggregates * perAggregate, Duration.ofSeconds(60));
                live.stop();
            }
            zombieReport = zombie.stop(); // waits until it woke and gave up what it had lost
        }
        zombieReport.claimsLost().ifPresent(lost -> assertThat(lost).as("the zombie noticed it lost its work").isPositive());
        var records = testbed.consume(aggregates * perAggregate, Duration.ofSeconds(30));
        assertThat(records).as("the zombie sent nothing: no stale copies").hasSize(aggregates * perAggregate);
        assertCompleteAndOrdered(records, aggregates, perAggregate);
    }

    /**
     * G5: a message the broker rejects is retried, then parked; other aggregates keep flowing (no head-of-line
     * blocking), its own aggregate waits behind it, and after repair and re-queue the aggregate continues in order.
     */
    @Test
    void poisonIsParkedWithoutBlockingOtherAggregates() throws Exception {
        var relay = relayUnderTest();
        var parking = require(relay.name(), relay.parking());
        var testbed = new OutboxTestbed();
        // 1.5 MB: over the broker's message.max.bytes (1 MB by default), so the broker rejects it.
        byte[] tooLarge = new byte[1_500_000];
        Arrays.fill(tooLarge, (byte) 'x');
        String poisoned = testbed.aggregate("poisoned");
        var messages = new ArrayList<>(List.of(testbed.event(poisoned, 0, tooLarge), testbed.event(poisoned, 1),
                testbed.event(poisoned, 2)));
        int others = 50 * 2;
        messages.addAll(testbed.interleaved(50, 2));
        testbed.append(messages);

        try (var running = relay.start(testbed, 0)) {
            testbed.awaitDelivered(others, Duration.ofSeconds(60));
            List<ParkedEvent> parked = awaitParked(parking, Duration.ofSeconds(60));
            assertThat(parked).singleElement().satisfies(p -> {
                assertThat(p.aggregateId()).isEqualTo(poisoned);
                assertThat(p.lastError()).as("the broker's reason is kept").isNotBlank();
            });
            assertThat(testbed.consume(others, Duration.ofSeconds(30)))
                    .as("the other aggregates flowed; the poisoned one waits behind its head")
                    .noneMatch(r -> r.key().equals(poisoned));

            parking.repairAndRequeue(parked.getFirst(), "{\"seq\":0,\"repaired\":true}".getBytes(StandardCharsets.UTF_8));
            var all = testbed.awaitDelivered(others + 3, Duration.ofSeconds(60));
            running.stop();
            assertThat(OutboxTestbed.firstDeliveriesByAggregate(all).get(poisoned)).containsExactly(0, 1, 2);
        }
        assertThat(parking.parked()).isEmpty();
    }

    /**
     * G5 for a row no relay can read (its {@code headers} are not a JSON object of strings): it depends only on the
     * row's content, so it is parked at its first reading, never retried as if transient; other aggregates keep
     * flowing, its own aggregate waits behind it, and after repair and re-queue the aggregate continues in order.
     */
    @Test
    void unreadableRowIsParkedAtOnceWithoutBlockingOtherAggregates() throws Exception {
        var relay = relayUnderTest();
        var parking = require(relay.name(), relay.parking());
        var testbed = new OutboxTestbed();
        String unreadable = testbed.aggregate("unreadable");
        long rowId = testbed.appendUnreadable(unreadable, 0);
        testbed.append(List.of(testbed.event(unreadable, 1), testbed.event(unreadable, 2)));
        int others = 50 * 2;
        testbed.append(testbed.interleaved(50, 2));

        try (var running = relay.start(testbed, 0)) {
            testbed.awaitDelivered(others, Duration.ofSeconds(60));
            List<ParkedEvent> parked = awaitParked(parking, Duration.ofSeconds(60));
            assertThat(parked).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo(rowId);
                assertThat(p.attempts()).as("parked at its first reading, never retried").isEqualTo(1);
                assertThat(p.lastError()).as("the reason names the column").contains("header");
            });
            assertThat(testbed.consume(others, Duration.ofSeconds(30)))
                    .as("the other aggregates flowed; the unreadable one waits behind its head")
                    .noneMatch(r -> r.key().equals(unreadable));

            testbed.repairUnreadable(rowId);
            parking.repairAndRequeue(parked.getFirst(),
                    ("{\"aggregate\":\"" + unreadable + "\",\"seq\":0}").getBytes(StandardCharsets.UTF_8));
            var all = testbed.awaitDelivered(others + 3, Duration.ofSeconds(60));
            running.stop();
            assertThat(OutboxTestbed.firstDeliveriesByAggregate(all).get(unreadable)).containsExactly(0, 1, 2);
        }
        assertThat(parking.parked()).isEmpty();
    }

    /**
     * G6: retention deletes only the relay's record of deliveries older than the age, in bounded batches, and never an
     * event not yet delivered.
     */
    @Test
    void retentionDeletesOnlyOldDeliveriesInBoundedBatches() throws Exception {
        var relay = relayUnderTest();
        var log = require(relay.name(), relay.deliveryLog());
        var testbed = new OutboxTestbed();
        testbed.append(testbed.interleaved(2500, 1));
        deliver(relay, testbed, 2500);
        log.backdateRecorded(Duration.ofDays(8));
        testbed.append(fresh(testbed, "recent", 5));
        deliver(relay, testbed, 2505);
        testbed.append(fresh(testbed, "pending", 5));
        assertThat(log.recorded()).isEqualTo(2505);

        assertThat(log.deleteOlderThan(Duration.ofDays(7), 1000, Duration.ZERO))
                .as("with no time budget, still exactly one bounded batch").isEqualTo(1000);
        assertThat(log.recorded()).isEqualTo(1505);
        assertThat(log.deleteOlderThan(Duration.ofDays(7), 1000, Duration.ofSeconds(30))).isEqualTo(1500);
        assertThat(log.recorded()).as("recent deliveries stay").isEqualTo(5);

        deliver(relay, testbed, 2510); // the 5 pending events survived retention
        assertThat(log.recorded()).isEqualTo(10);
    }

    /** An action on a test's testbed, such as a crash. */
    @FunctionalInterface
    public interface TestbedAction {
        void run(OutboxTestbed testbed) throws Exception;
    }

    private static void deliver(RelayUnderTest relay, OutboxTestbed testbed, int distinctEventsOnTopic) throws Exception {
        try (var running = relay.start(testbed, 0)) {
            testbed.awaitDelivered(distinctEventsOnTopic, Duration.ofSeconds(60));
            running.stop();
        }
    }

    private static List<OutboxMessage> fresh(OutboxTestbed testbed, String name, int count) {
        var result = new ArrayList<OutboxMessage>();
        for (int i = 0; i < count; i++) {
            result.add(testbed.event(testbed.aggregate(name + "-" + i), 0));
        }
        return result;
    }

    private static List<ParkedEvent> awaitParked(RelayUnderTest.Parking parking, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ParkedEvent> parked = parking.parked();
        while (parked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            parked = parking.parked();
        }
        return parked;
    }

    private static <T> Optional<T> optional(Hook<T> hook) {
        return hook instanceof Hook.Supported<T> supported ? Optional.of(supported.implementation()) : Optional.empty();
    }

    /** The hook's implementation, or the test ends as "not applicable to <relay>: <why>" (aborted, visible in reports). */
    static <T> T require(String relayName, Hook<T> hook) {
        return switch (hook) {
            case Hook.Supported<T> supported -> supported.implementation();
            case Hook.NotApplicable<T> notApplicable -> {
                String why = "not applicable to " + relayName + ": " + notApplicable.why();
                logger.warn("Test skipped, {}", why); // printed in the test log too, not only in the report
                yield Assumptions.abort(why);
            }
        };
    }
}
