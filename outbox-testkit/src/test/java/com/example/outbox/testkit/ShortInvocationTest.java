package com.example.outbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.OutboxRelay;
import com.example.outbox.RelayRun;
import com.example.outbox.RelaySettings;
import com.example.outbox.RelayTimeBudgetException;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The polling relay's time budget (ADR 0015): with less time than its safety margin it still publishes, with a
 * bounded wait; with less than its minimum budget it fails loudly; a batch whose acknowledgements cannot arrive in
 * time is abandoned and sent again later. Real PostgreSQL and Kafka, the deployed margin (30 s) and minimum budget
 * (5 s).
 */
class ShortInvocationTest {

    private static RelaySettings deployed() {
        return RelaySettings.defaults().withSafetyMargin(Duration.ofSeconds(30)).withIdleLimit(Duration.ofMillis(200));
    }

    private static Map<String, Object> producerConfig(OutboxTestbed testbed) {
        var config = new HashMap<String, Object>();
        config.put("bootstrap.servers", testbed.bootstrapServers());
        config.put("linger.ms", 5);
        return config;
    }

    private static OutboxRelay relay(KafkaMessagePublisher publisher) {
        return new OutboxRelay(new JdbcOutboxClaimer(OutboxTestbed.dataSource(), RetryPolicy.defaults(), Duration.ofSeconds(60)),
                publisher, deployed());
    }

    /** Time left, counting down from {@code budget} as the wall clock moves (what Lambda's context reports). */
    private static LongSupplier budget(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        return () -> (deadline - System.nanoTime()) / 1_000_000;
    }

    private static long count(String where) throws SQLException {
        try (var c = OutboxTestbed.dataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from outbox_message where " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void twentyFiveSecondsLeftBelowTheThirtySecondMarginPublishesEveryPendingRow() throws Exception {
        var testbed = new OutboxTestbed();
        testbed.append(testbed.interleaved(10, 4));

        RelayRun run;
        try (var publisher = new KafkaMessagePublisher(producerConfig(testbed), TopicRoutes.eventTypeIsTopic())) {
            run = relay(publisher).drain(budget(Duration.ofSeconds(25)));
        }

        assertThat(run.published()).isEqualTo(40);
        assertThat(run.abandoned()).isZero();
        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.IDLE);
        assertThat(count("true")).isZero();
        OutboxTestbed.assertCompleteAndOrdered(testbed.consume(40, Duration.ofSeconds(20)), 10, 4);
    }

    @Test
    void threeSecondsLeftFailsLoudlyAndLeavesEveryRowPending() throws Exception {
        var testbed = new OutboxTestbed();
        testbed.append(testbed.interleaved(10, 4));

        try (var publisher = new KafkaMessagePublisher(producerConfig(testbed), TopicRoutes.eventTypeIsTopic())) {
            var relay = relay(publisher);
            assertThatThrownBy(() -> relay.drain(budget(Duration.ofSeconds(3))))
                    .isInstanceOf(RelayTimeBudgetException.class);
        }

        assertThat(count("status = 'PENDING'")).isEqualTo(40);
        assertThat(testbed.consume(1, Duration.ofSeconds(2))).as("nothing was sent").isEmpty();
    }

    @Test
    void aBatchWhoseAcknowledgementsCannotArriveInTimeIsAbandonedUnmarkedAndSentAgainLater() throws Exception {
        var testbed = new OutboxTestbed();
        testbed.append(testbed.interleaved(10, 2));
        try (var publisher = new KafkaMessagePublisher(producerConfig(testbed), TopicRoutes.eventTypeIsTopic())) {
            assertThat(relay(publisher).drain(budget(Duration.ofSeconds(25))).published()).isEqualTo(20);
        }
        testbed.append(testbed.interleaved(5, 2, 1));

        // A producer that holds records for a minute before sending (linger.ms): the acknowledgements cannot arrive
        // within the 6 s the relay may wait with 7 s left (1 s is kept for wrapping up), and the producer itself would
        // wait far longer (delivery.timeout.ms 90 s). Only the relay's own cut-off can end the wait.
        var slow = producerConfig(testbed);
        slow.put("linger.ms", 60_000);
        slow.put("request.timeout.ms", 20_000);
        slow.put("delivery.timeout.ms", 90_000);
        RelayRun cutOff;
        long started = System.nanoTime();
        try (var publisher = new KafkaMessagePublisher(slow, TopicRoutes.eventTypeIsTopic())) {
            cutOff = relay(publisher).drain(budget(Duration.ofSeconds(7)));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("returned before the time ran out")
                .isLessThan(Duration.ofSeconds(7));
        assertThat(cutOff.abandoned()).isEqualTo(5);
        assertThat(cutOff.published()).isZero();
        assertThat(cutOff.stopReason()).isEqualTo(RelayRun.StopReason.OUT_OF_TIME);
        assertThat(count("status = 'PENDING'")).as("abandoned rows stay pending, unmarked").isEqualTo(5);

        try (var publisher = new KafkaMessagePublisher(producerConfig(testbed), TopicRoutes.eventTypeIsTopic())) {
            assertThat(relay(publisher).drain(budget(Duration.ofSeconds(25))).published()).isEqualTo(5);
        }
        assertThat(count("true")).isZero();
        var records = testbed.consume(25, Duration.ofSeconds(20));
        assertThat(OutboxTestbed.distinctIds(records)).hasSize(25);
        // The abandoned producer was discarded with its records, so here not even a duplicate arrived.
        assertThat(records).hasSize(25);
    }
}
