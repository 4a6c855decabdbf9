package com.example.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * A producer that can no longer send (here: closed underneath the publisher, as after a fatal error) must not fail
 * every later batch until the Lambda environment is recycled: the failed batch is reported as transient (retried,
 * never marked) and the next batch gets a fresh producer.
 */
class BrokenProducerIsReplacedTest {

    @Test
    void aBatchFailedByABrokenProducerIsTransientAndTheNextBatchUsesANewProducer() {
        SharedServers.kafka().createTopics(1, "publisher-test");
        List<Producer<byte[], byte[]>> created = new ArrayList<>();
        var publisher = new KafkaMessagePublisher(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers()),
                TopicRoutes.eventTypeIsTopic(), config -> {
                    Producer<byte[], byte[]> producer = new KafkaProducer<>(config);
                    created.add(producer);
                    return producer;
                });
        try {
            assertThat(publisher.publish(List.of(message(1)))).allMatch(r -> r.outcome() == PublishResult.Outcome.ACKED);

            created.get(0).close(); // the producer breaks underneath the publisher
            assertThat(publisher.publish(List.of(message(2), message(3))))
                    .hasSize(2).allMatch(r -> r.outcome() == PublishResult.Outcome.TRANSIENT_FAILURE);

            assertThat(publisher.publish(List.of(message(2), message(3))))
                    .hasSize(2).allMatch(r -> r.outcome() == PublishResult.Outcome.ACKED);
            assertThat(created).hasSize(2);
        } finally {
            publisher.close();
        }
    }

    private static PendingMessage message(long id) {
        var message = OutboxMessage.json(UUID.randomUUID(), "test", "aggregate-" + id, "publisher-test", "/tests",
                Instant.now(), ("{\"n\":" + id + "}").getBytes(StandardCharsets.UTF_8));
        return new PendingMessage(id, message, 0);
    }
}
