package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxRelay;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RelayRun;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AtLeastOnceUnderFailuresTest {

    @Test
    void brokerStoppedDuringADrainThenStartedEveryEventArrivesInOrder() throws Exception {
        var fixture = new RelayFixture();
        int aggregates = 100;
        int perAggregate = 30;
        fixture.append(fixture.interleaved(aggregates, perAggregate));
        var kafka = SharedServers.kafka();

        var executor = Executors.newSingleThreadExecutor();
        var run = executor.submit(() -> {
            var config = RelayFixture.producerConfig();
            // Short timeouts so that sends fail during the outage (instead of just waiting it out).
            config.put("request.timeout.ms", 1000);
            config.put("delivery.timeout.ms", 1500);
            config.put("linger.ms", 0);
            try (var publisher = new KafkaMessagePublisher(config, TopicRoutes.eventTypeIsTopic())) {
                // small batches so the outage lands in the middle of the drain
                return fixture.relay(publisher, RetryPolicy.defaults(),
                        RelayFixture.settings(Duration.ofSeconds(2)).withBatchSize(50))
                        .drain(RelayFixture.budget(Duration.ofMinutes(2)));
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fixture.publishedCount() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        kafka.stop();
        long publishedWhileDown;
        try {
            Thread.sleep(3000);
            publishedWhileDown = fixture.publishedCount();
            Thread.sleep(1000);
            assertThat(fixture.publishedCount()).as("nothing is marked while the broker is down")
                    .isEqualTo(publishedWhileDown);
        } finally {
            kafka.start();
        }
        RelayRun result = run.get();
        executor.shutdown();

        assertThat(publishedWhileDown).isLessThan(aggregates * perAggregate);
        assertThat(result.publishFailures()).as("the outage was felt").isPositive();
        assertThat(result.parked()).as("an outage parks nothing").isZero();
        assertThat(fixture.count("true")).as("nothing left unpublished").isZero();
        assertThat(fixture.publishedCount()).isEqualTo(aggregates * perAggregate);
        var records = fixture.consume(aggregates * perAggregate, Duration.ofSeconds(60));
        RelayFixture.assertCompleteAndOrdered(records, aggregates, perAggregate);
    }

    @Test
    void relayKilledAfterTheAckButBeforeTheMarkSendsTheRowsAgainAndLosesNothing() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(20, 3));

        try (var kafkaPublisher = fixture.publisher()) {
            MessagePublisher dyingAfterAck = new MessagePublisher() {
                @Override
                public List<PublishResult> publish(List<PendingMessage> messages) {
                    var results = kafkaPublisher.publish(messages);
                    assertThat(results).allMatch(PublishResult::acked);
                    throw new IllegalStateException("relay killed between Kafka ack and mark");
                }

                @Override
                public void close() {
                }
            };
            var dying = new OutboxRelay(new JdbcOutboxClaimer(RelayFixture.dataSource, RetryPolicy.defaults(),
                    Duration.ofSeconds(30)), dyingAfterAck, RelayFixture.settings(Duration.ZERO));
            assertThatThrownBy(() -> dying.drain(RelayFixture.budget(Duration.ofSeconds(30))))
                    .hasMessageContaining("killed");
        }
        // The first batch (the 20 heads) reached Kafka, yet nothing was marked.
        assertThat(fixture.count("status = 'PENDING'")).isEqualTo(60);
        assertThat(fixture.consume(20, Duration.ofSeconds(20))).hasSize(20);

        try (var publisher = fixture.publisher()) {
            var run = fixture.relay(publisher, RetryPolicy.defaults(), RelayFixture.settings(Duration.ZERO))
                    .drain(RelayFixture.budget(Duration.ofSeconds(60)));
            assertThat(run.published()).isEqualTo(60);
        }
        var records = fixture.consume(80, Duration.ofSeconds(30));
        assertThat(records).as("20 heads twice (at least once), the rest once").hasSize(80);
        var copies = records.stream().collect(Collectors.groupingBy(r -> RelayFixture.header(r, "ce_id"), Collectors.counting()));
        assertThat(copies).hasSize(60);
        RelayFixture.assertCompleteAndOrdered(records, 20, 3);
        assertThat(new String(records.getFirst().value(), StandardCharsets.UTF_8)).contains("\"seq\":0");
    }

    @Test
    void pipelinedRelayKilledWithTwoBatchesSentAndNoneMarkedSendsThemAgainInOrder() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(20, 3));

        try (var kafkaPublisher = fixture.publisher()) {
            MessagePublisher dyingOnFirstAck = new MessagePublisher() {
                @Override
                public List<PublishResult> publish(List<PendingMessage> messages) {
                    return send(messages).await();
                }

                @Override
                public InFlight send(List<PendingMessage> messages) {
                    InFlight sending = kafkaPublisher.send(messages);
                    return () -> {
                        assertThat(sending.await()).allMatch(PublishResult::acked);
                        throw new IllegalStateException("relay killed after the first batch's ack, second batch in flight");
                    };
                }

                @Override
                public void close() {
                }
            };
            var dying = new OutboxRelay(new JdbcOutboxClaimer(RelayFixture.dataSource, RetryPolicy.defaults(),
                    Duration.ofSeconds(30)), dyingOnFirstAck,
                    RelayFixture.settings(Duration.ZERO).withBatchSize(10).withBatchesInFlight(2));
            assertThatThrownBy(() -> dying.drain(RelayFixture.budget(Duration.ofSeconds(30))))
                    .hasMessageContaining("killed");
        }
        // Both batches (the 20 heads, 10 each) were handed to Kafka; neither was marked.
        assertThat(fixture.count("status = 'PENDING'")).isEqualTo(60);
        assertThat(fixture.publishedCount()).isZero();
        assertThat(fixture.consume(20, Duration.ofSeconds(20))).hasSize(20);

        try (var publisher = fixture.publisher()) {
            var run = fixture.relay(publisher, RetryPolicy.defaults(),
                            RelayFixture.settings(Duration.ZERO).withBatchSize(10).withBatchesInFlight(2))
                    .drain(RelayFixture.budget(Duration.ofSeconds(60)));
            assertThat(run.published()).isEqualTo(60);
        }
        var records = fixture.consume(80, Duration.ofSeconds(30));
        assertThat(records).as("20 heads twice (at least once), the rest once").hasSize(80);
        RelayFixture.assertCompleteAndOrdered(records, 20, 3);
    }
}
