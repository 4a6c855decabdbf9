package com.example.outbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.ClaimedBatch;
import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxRelay;
import com.example.outbox.ParkedEvent;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.jdbc.JdbcOutboxRetention;
import com.example.outbox.jdbc.JdbcParkedEvents;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The polling relay as the kit sees it: {@link OutboxRelay} with {@link JdbcOutboxClaimer} and
 * {@link KafkaMessagePublisher}, configured with timeouts short enough that a broker outage is felt within a test.
 */
final class PollingRelay implements RelayUnderTest {

    /** The zombie's claim hold limit: PostgreSQL ends a claim idle this long (ADR 0011). */
    static final Duration ZOMBIE_HOLD_LIMIT = Duration.ofSeconds(1);
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(30);
    /** Three rejections park a message, within a fraction of a second. */
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200));

    private final DataSource dataSource = OutboxTestbed.dataSource();

    @Override
    public String name() {
        return "polling relay";
    }

    /** Instance 0 sends one batch at a time; further instances pipeline two batches, so concurrent runs mix both. */
    @Override
    public RunningRelay start(OutboxTestbed testbed, int instance) {
        return new BackgroundRelay("polling-relay-" + instance, new JdbcOutboxClaimer(dataSource, RETRY, HOLD_LIMIT),
                publisher(testbed), settings(instance == 0 ? 1 : 2, 500));
    }

    @Override
    public void crashBetweenAckAndMark(OutboxTestbed testbed) throws Exception {
        crashBetweenAckAndMark(testbed, 1, 500);
    }

    /**
     * Drains with a publisher that dies once the broker acknowledged the first batch, before the relay marks it. With
     * two batches in flight, the second batch has been sent too when it dies.
     */
    void crashBetweenAckAndMark(OutboxTestbed testbed, int batchesInFlight, int batchSize) {
        try (var kafkaPublisher = publisher(testbed)) {
            MessagePublisher dyingAfterAck = new MessagePublisher() {
                @Override
                public List<PublishResult> publish(List<PendingMessage> messages) {
                    return send(messages).await();
                }

                @Override
                public InFlight send(List<PendingMessage> messages) {
                    InFlight sending = kafkaPublisher.send(messages);
                    return () -> {
                        assertThat(sending.await()).as("the batch before the crash").allMatch(PublishResult::acked);
                        throw new IllegalStateException("relay killed between Kafka ack and mark");
                    };
                }

                @Override
                public void close() {
                }
            };
            var dying = new OutboxRelay(new JdbcOutboxClaimer(dataSource, RETRY, HOLD_LIMIT), dyingAfterAck,
                    settings(batchesInFlight, batchSize));
            assertThatThrownBy(() -> dying.drain(() -> Long.MAX_VALUE)).hasMessageContaining("killed");
        }
    }

    @Override
    public Hook<Zombie> zombie() {
        return Hook.supported(testbed -> {
            var stalled = new CountDownLatch(1);
            var realClaimer = new JdbcOutboxClaimer(dataSource, RETRY, ZOMBIE_HOLD_LIMIT);
            // Freezes right after its first claim, longer than the hold limit, like a suspended invocation.
            OutboxClaimer freezing = new OutboxClaimer() {
                private boolean frozen;

                @Override
                public ClaimedBatch claim(int max) throws SQLException {
                    ClaimedBatch batch = realClaimer.claim(max);
                    if (!frozen && !batch.isEmpty()) {
                        frozen = true;
                        stalled.countDown();
                        try {
                            Thread.sleep(ZOMBIE_HOLD_LIMIT.multipliedBy(4).toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return batch;
                }
            };
            var zombie = new BackgroundRelay("zombie-relay", freezing, publisher(testbed), settings(1, 500));
            assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the zombie took work and stalled").isTrue();
            return zombie;
        });
    }

    @Override
    public Hook<Parking> parking() {
        var parked = new JdbcParkedEvents(dataSource);
        return Hook.supported(new Parking() {
            @Override
            public List<ParkedEvent> parked() throws SQLException {
                return parked.list(100);
            }

            @Override
            public void repairAndRequeue(ParkedEvent event, byte[] repairedPayload) throws SQLException {
                try (var c = dataSource.getConnection();
                        var s = c.prepareStatement("update outbox_message set payload = ? where id = ?")) {
                    s.setBytes(1, repairedPayload);
                    s.setLong(2, event.id());
                    s.executeUpdate();
                }
                assertThat(parked.requeue(event.id())).as("re-queued").isEqualTo(1);
            }
        });
    }

    /** The published log, {@code outbox_published} (ADR 0013), trimmed by {@link JdbcOutboxRetention}. */
    @Override
    public Hook<DeliveryLog> deliveryLog() {
        var retention = new JdbcOutboxRetention(dataSource);
        return Hook.supported(new DeliveryLog() {
            @Override
            public long recorded() throws SQLException {
                try (var c = dataSource.getConnection(); var s = c.createStatement();
                        var rs = s.executeQuery("select count(*) from outbox_published")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }

            @Override
            public void backdateRecorded(Duration ago) throws SQLException {
                try (var c = dataSource.getConnection();
                        var s = c.prepareStatement("update outbox_published set published_at = now() - ?::interval")) {
                    s.setString(1, ago.toSeconds() + " seconds");
                    s.executeUpdate();
                }
            }

            @Override
            public int deleteOlderThan(Duration age, int batchSize, Duration budget) throws SQLException {
                return retention.deletePublishedOlderThan(age, batchSize, budget);
            }
        });
    }

    @Override
    public Hook<Concurrency> concurrency() {
        return Hook.supported(() -> 3);
    }

    private static KafkaMessagePublisher publisher(OutboxTestbed testbed) {
        var config = new HashMap<String, Object>();
        config.put("bootstrap.servers", testbed.bootstrapServers());
        config.put("linger.ms", 5);
        // Short, so that sends fail during a test's outage instead of waiting it out.
        config.put("request.timeout.ms", 1000);
        config.put("delivery.timeout.ms", 2500);
        config.put("max.block.ms", 1000);
        config.put("reconnect.backoff.max.ms", 500);
        // Lets the poison test's 1.5 MB record reach the broker, which rejects it (message.max.bytes 1 MB).
        config.put("max.request.size", 5_000_000);
        return new KafkaMessagePublisher(Map.copyOf(config), TopicRoutes.eventTypeIsTopic());
    }

    private static RelaySettings settings(int batchesInFlight, int batchSize) {
        // Drains until stopped (the idle limit is never reached in a test); polls at most every 50 ms when idle.
        return new RelaySettings(batchSize, Duration.ZERO, Duration.ofHours(1), Duration.ofMillis(5),
                Duration.ofMillis(50), Duration.ofSeconds(1), batchesInFlight);
    }
}
