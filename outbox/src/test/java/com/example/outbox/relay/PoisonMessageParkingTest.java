package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.ParkedEvent;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcParkedEvents;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoisonMessageParkingTest {

    @Test
    void messageTheBrokerRejectsIsRetriedThenParkedOthersFlowAndItsAggregateWaitsUntilRequeued() throws Exception {
        var fixture = new RelayFixture();
        // 1.5 MB: the producer lets it through (max.request.size raised), the broker's message.max.bytes (1 MB) rejects it.
        byte[] tooLarge = new byte[1_500_000];
        Arrays.fill(tooLarge, (byte) 'x');
        var poisonAggregate = "poisoned";
        var messages = new ArrayList<>(List.of(
                fixture.event(poisonAggregate, 0, tooLarge),
                fixture.event(poisonAggregate, 1),
                fixture.event(poisonAggregate, 2)));
        messages.addAll(fixture.interleaved(50, 2));
        fixture.append(messages);

        var config = RelayFixture.producerConfig();
        config.put("max.request.size", 5_000_000);
        var retry = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200));
        try (var publisher = new KafkaMessagePublisher(config, TopicRoutes.eventTypeIsTopic())) {
            var run = fixture.relay(publisher, retry, RelayFixture.settings(Duration.ofSeconds(2)))
                    .drain(RelayFixture.budget(Duration.ofSeconds(60)));
            assertThat(run.published()).isEqualTo(100);
            assertThat(run.parked()).isEqualTo(1);
            assertThat(run.publishFailures()).isGreaterThanOrEqualTo(3);
        }

        var parkedEvents = new JdbcParkedEvents(RelayFixture.dataSource);
        List<ParkedEvent> parked = parkedEvents.list(10);
        assertThat(parked).singleElement().satisfies(p -> {
            assertThat(p.aggregateId()).isEqualTo(poisonAggregate);
            assertThat(p.attempts()).isEqualTo(3);
            assertThat(p.lastError()).contains("RecordTooLarge");
        });
        assertThat(fixture.count("aggregate_id = 'poisoned' and status = 'PENDING'"))
                .as("later events of the parked aggregate wait behind it").isEqualTo(2);
        var flowed = fixture.consume(100, Duration.ofSeconds(30));
        assertThat(flowed).hasSize(100).noneMatch(r -> r.key().equals(poisonAggregate));

        // Operator repairs the payload and re-queues: the aggregate then flows, in order.
        try (var c = RelayFixture.dataSource.getConnection(); var s = c.prepareStatement(
                "update outbox_message set payload = ? where id = ?")) {
            s.setBytes(1, "{\"seq\":0,\"repaired\":true}".getBytes(StandardCharsets.UTF_8));
            s.setLong(2, parked.getFirst().id());
            s.executeUpdate();
        }
        assertThat(parkedEvents.requeue(parked.getFirst().id())).isEqualTo(1);
        try (var publisher = fixture.publisher()) {
            var run = fixture.relay(publisher, retry, RelayFixture.settings(Duration.ZERO))
                    .drain(RelayFixture.budget(Duration.ofSeconds(60)));
            assertThat(run.published()).isEqualTo(3);
        }
        var all = fixture.consume(103, Duration.ofSeconds(30));
        assertThat(RelayFixture.firstDeliveriesByAggregate(all).get(poisonAggregate)).containsExactly(0, 1, 2);
        assertThat(parkedEvents.list(10)).isEmpty();
    }
}
