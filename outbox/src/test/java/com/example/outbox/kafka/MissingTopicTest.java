package com.example.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRelay;
import com.example.outbox.OutboxTables;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.jdbc.JdbcParkedEvents;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A topic that does not exist, on a broker that, like MSK, creates none on first use (the embedded broker runs with
 * {@code auto.create.topics.enable=false}). Before the fix the metadata timeout counted as an outage: the rest of the
 * batch was reported transient too, the same row headed every batch, nothing flowed and nothing was ever parked.
 */
class MissingTopicTest {

    private static final int MAX_BLOCK_MS = 1000;
    private final String existing = "missing-topic-test-" + UUID.randomUUID();
    private final String absent = "never-created-" + UUID.randomUUID();

    private KafkaMessagePublisher publisher() {
        SharedServers.kafka().createTopics(2, existing);
        return new KafkaMessagePublisher(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                "max.block.ms", MAX_BLOCK_MS, "linger.ms", 5), TopicRoutes.eventTypeIsTopic());
    }

    @Test
    void onlyTheMessagesForTheMissingTopicAreRejectedAndTheBrokerIsAskedOnce() {
        try (var publisher = publisher()) {
            var messages = List.of(pending(1, absent), pending(2, existing), pending(3, absent), pending(4, existing));
            long started = System.nanoTime();
            List<PublishResult> results = publisher.publish(messages);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(results).extracting(PublishResult::outcome).containsExactly(PublishResult.Outcome.REJECTED,
                    PublishResult.Outcome.ACKED, PublishResult.Outcome.REJECTED, PublishResult.Outcome.ACKED);
            assertThat(results.get(0).error()).contains("topic '" + absent + "' does not exist");
            assertThat(results.get(2).error()).contains("topic '" + absent + "' does not exist");
            assertThat(took).as("one max.block.ms for the missing topic, not one per message")
                    .isLessThan(Duration.ofMillis(2L * MAX_BLOCK_MS));
        }
    }

    @Test
    void missingTopicsNamesTheAbsentOnesOnly() {
        try (var publisher = publisher()) {
            assertThat(publisher.missingTopics(List.of(existing, absent))).containsExactly(absent);
            assertThat(publisher.missingTopics(List.of(existing))).isEmpty();
        }
    }

    @Test
    void theRelayParksRowsForTheMissingTopicWithTheReasonWhileOtherTopicsFlow() throws Exception {
        OutboxTables.clear();
        var toAbsent = message("stuck", absent);
        var behindIt = message("stuck", existing);
        var others = new ArrayList<OutboxMessage>();
        for (int i = 0; i < 20; i++) {
            others.add(message("flowing-" + i, existing));
        }
        OutboxTables.append(toAbsent, behindIt);
        OutboxTables.append(others.toArray(OutboxMessage[]::new));

        var retry = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200));
        try (var publisher = publisher()) {
            var relay = new OutboxRelay(new JdbcOutboxClaimer(OutboxTables.dataSource(), retry, Duration.ofSeconds(30)),
                    publisher, new RelaySettings(100, Duration.ZERO, Duration.ofSeconds(3), Duration.ofMillis(5),
                            Duration.ofMillis(50), Duration.ofSeconds(1), 1));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            var parked = new JdbcParkedEvents(OutboxTables.dataSource());
            while (parked.list(10).isEmpty() && System.nanoTime() < deadline) {
                relay.drain(() -> 20_000);
            }
            assertThat(parked.list(10)).singleElement().satisfies(p -> {
                assertThat(p.messageId()).isEqualTo(toAbsent.messageId());
                assertThat(p.attempts()).isEqualTo(3);
                assertThat(p.lastError()).contains("topic '" + absent + "' does not exist");
            });
        }
        assertThat(OutboxTables.count("outbox_published", "true")).as("every row for the existing topic but the one"
                + " waiting behind the parked row of its aggregate").isEqualTo(others.size());
        assertThat(OutboxTables.count("outbox_message", "message_id = '" + behindIt.messageId() + "' and status = 'PENDING'"))
                .isEqualTo(1);
        assertThat(recordsOn(existing)).isEqualTo(others.size());
    }

    private static PendingMessage pending(long id, String topic) {
        return new PendingMessage(id, message("aggregate-" + id, topic), 0);
    }

    private static OutboxMessage message(String aggregateId, String topic) {
        return OutboxMessage.json(UUID.randomUUID(), "test", aggregateId, topic, "/tests", Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static long recordsOn(String topic) {
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers",
                SharedServers.kafka().bootstrapServers(), "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()))) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
