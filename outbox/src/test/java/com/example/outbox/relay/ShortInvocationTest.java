package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.RelayRun;
import com.example.outbox.RelaySettings;
import com.example.outbox.RelayTimeBudgetException;
import com.example.outbox.RetryPolicy;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A relay with less time than its safety margin still publishes, with a bounded wait; with less than its minimum
 * budget it fails loudly; a batch whose acknowledgements cannot arrive in time is abandoned and sent again later.
 * Real PostgreSQL and Kafka, the deployed margin (30 s) and minimum budget (5 s).
 */
class ShortInvocationTest {

    static RelaySettings deployed() {
        return RelaySettings.defaults().withSafetyMargin(Duration.ofSeconds(30)).withIdleLimit(Duration.ofMillis(200));
    }

    @Test
    void twentyFiveSecondsLeftBelowTheThirtySecondMarginPublishesEveryPendingRow() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(10, 4));

        RelayRun run;
        try (var publisher = fixture.publisher()) {
            run = fixture.relay(publisher, RetryPolicy.defaults(), deployed()).drain(RelayFixture.budget(Duration.ofSeconds(25)));
        }

        assertThat(run.published()).isEqualTo(40);
        assertThat(run.abandoned()).isZero();
        assertThat(run.stopReason()).isEqualTo(RelayRun.StopReason.IDLE);
        assertThat(fixture.count("true")).isZero();
        RelayFixture.assertCompleteAndOrdered(fixture.consume(40, Duration.ofSeconds(20)), 10, 4);
    }

    @Test
    void threeSecondsLeftFailsLoudlyAndLeavesEveryRowPending() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(10, 4));

        try (var publisher = fixture.publisher()) {
            var relay = fixture.relay(publisher, RetryPolicy.defaults(), deployed());
            assertThatThrownBy(() -> relay.drain(RelayFixture.budget(Duration.ofSeconds(3))))
                    .isInstanceOf(RelayTimeBudgetException.class);
        }

        assertThat(fixture.count("status = 'PENDING'")).isEqualTo(40);
        assertThat(fixture.publishedCount()).isZero();
        assertThat(fixture.consume(1, Duration.ofSeconds(2))).as("nothing was sent").isEmpty();
    }

    @Test
    void aBatchWhoseAcknowledgementsCannotArriveInTimeIsAbandonedUnmarkedAndSentAgainLater() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(10, 2));
        try (var publisher = fixture.publisher()) {
            fixture.relay(publisher, RetryPolicy.defaults(), deployed()).drain(RelayFixture.budget(Duration.ofSeconds(25)));
        }
        assertThat(fixture.publishedCount()).isEqualTo(20);
        fixture.append(fixture.interleaved(5, 1));

        // A producer that holds records for a minute before sending (linger.ms): the acknowledgements cannot arrive
        // within the 6 s the relay may wait with 7 s left (1 s is kept for wrapping up), and the producer itself would
        // wait far longer (delivery.timeout.ms 90 s). Only the relay's own cut-off can end the wait.
        var slow = RelayFixture.producerConfig();
        slow.put("linger.ms", 60_000);
        slow.put("request.timeout.ms", 20_000);
        slow.put("delivery.timeout.ms", 90_000);
        RelayRun cutOff;
        long started = System.nanoTime();
        try (var publisher = new KafkaMessagePublisher(slow, TopicRoutes.eventTypeIsTopic())) {
            cutOff = fixture.relay(publisher, RetryPolicy.defaults(), deployed()).drain(RelayFixture.budget(Duration.ofSeconds(7)));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("returned before the time ran out")
                .isLessThan(Duration.ofSeconds(7));
        assertThat(cutOff.abandoned()).isEqualTo(5);
        assertThat(cutOff.published()).isZero();
        assertThat(cutOff.stopReason()).isEqualTo(RelayRun.StopReason.OUT_OF_TIME);
        assertThat(fixture.count("status = 'PENDING'")).as("abandoned rows stay pending, unmarked").isEqualTo(5);

        try (var publisher = fixture.publisher()) {
            var run = fixture.relay(publisher, RetryPolicy.defaults(), deployed()).drain(RelayFixture.budget(Duration.ofSeconds(25)));
            assertThat(run.published()).isEqualTo(5);
        }
        assertThat(fixture.count("true")).isZero();
        var records = fixture.consume(25, Duration.ofSeconds(20));
        assertThat(records.stream().map(r -> RelayFixture.header(r, "ce_id")).distinct()).hasSize(25);
        // The abandoned producer was discarded with its records, so here not even a duplicate arrived.
        assertThat(records).hasSize(25);
    }
}
