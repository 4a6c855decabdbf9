package com.example.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.testkit.Hook;
import com.example.outbox.testkit.OutboxTestbed;
import com.example.outbox.testkit.RelayReport;
import com.example.outbox.testkit.RelayUnderTest;
import com.example.outbox.testkit.RunningRelay;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The CDC relay as the contract kit sees it: one connector identity (replication slot, publication, offsets file)
 * per test, created and brought to streaming before the test appends anything, as a deployed connector is running
 * before writers commit. Every {@link #start} is the same connector started again; it resumes from its committed
 * position.
 */
final class CdcRelayUnderTest implements RelayUnderTest, AutoCloseable {

    final TestCdcRelays.Slot slot = new TestCdcRelays.Slot();

    CdcRelayUnderTest() throws Exception {
        // Creates the slot (and snapshots an empty outbox) so that every later row is read from the WAL.
        try (var c = OutboxTestbed.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
        }
        // One event through it, so that the connector commits a streaming position: a connector that has not (an
        // empty snapshot) snapshots the table again at its next start, sending rows twice (ADR 0080).
        OutboxTestbed.kafka().createTopics(1, PRIMING_TOPIC);
        try (var relay = slot.start()) {
            relay.awaitStreaming(Duration.ofSeconds(60));
            try (var c = OutboxTestbed.dataSource().getConnection();
                    var s = c.prepareStatement("insert into outbox_message (message_id, aggregate_type, aggregate_id, "
                            + "event_type, source, occurred_at, payload) values (gen_random_uuid(), 'kit', 'priming', ?,"
                            + " '/cdc-relay-test', now(), '{}')")) {
                s.setString(1, PRIMING_TOPIC);
                s.executeUpdate();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (relay.published() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(relay.published()).as("the priming event").isEqualTo(1);
        }
    }

    private static final String PRIMING_TOPIC = "cdc-relay-priming";

    @Override
    public String name() {
        return "CDC relay (Debezium embedded engine)";
    }

    @Override
    public RunningRelay start(OutboxTestbed testbed, int instance) {
        assertThat(instance).as("the CDC relay runs one instance per replication slot").isZero();
        var relay = slot.start();
        return new RunningRelay() {
            private RelayReport report;

            @Override
            public synchronized RelayReport stop() throws Exception {
                if (report == null) {
                    relay.close();
                    try {
                        relay.finished().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception cause ? cause : e;
                    }
                    // Sends are retried inside the producer during an outage, so failures are not counted per event.
                    report = new RelayReport(OptionalLong.of(relay.published()), OptionalLong.empty(),
                            OptionalLong.empty());
                }
                return report;
            }
        };
    }

    /** Dies after Kafka acknowledged its first batch, before the engine commits that batch's offsets. */
    @Override
    public void crashBetweenAckAndMark(OutboxTestbed testbed) throws Exception {
        var relay = slot.start(records -> {
            throw new IllegalStateException("relay killed between Kafka's ack and the offset commit ("
                    + records.size() + " records acknowledged)");
        });
        try {
            relay.finished().get(60, TimeUnit.SECONDS);
            throw new AssertionError("the relay was expected to die");
        } catch (ExecutionException expected) {
            assertThat(expected).hasStackTraceContaining("killed between Kafka's ack");
        } finally {
            relay.close();
        }
    }

    @Override
    public Hook<Zombie> zombie() {
        return Hook.notApplicable("a replication slot streams to one connection at a time (PostgreSQL refuses a "
                + "second reader while it is active), so no second instance can take work over from a stalled one: "
                + "a stall only delays delivery, and the stalled engine resumes from its own position");
    }

    @Override
    public Hook<Parking> parking() {
        return Hook.notApplicable("Debezium cannot set one record aside: a record the broker refuses stops the "
                + "connector at that record (errors.tolerance=none), the whole outbox waits until an operator acts "
                + "(ADR 0080); nothing is skipped, but other aggregates are blocked too");
    }

    @Override
    public Hook<DeliveryLog> deliveryLog() {
        return Hook.notApplicable("the CDC relay keeps no per-event record of deliveries: its position is the offset "
                + "store and the slot's confirmed LSN; retention of captured rows is proven by CdcOutboxRetentionTest");
    }

    @Override
    public Hook<Concurrency> concurrency() {
        return Hook.notApplicable("one connector task reads the replication slot (tasks.max=1); order with one "
                + "instance is proven by perAggregateOrderWithOneRelay");
    }

    @Override
    public void close() throws Exception {
        slot.close();
    }
}
