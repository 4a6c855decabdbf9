package com.example.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.OutboxTables;
import com.example.servers.SharedServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cold producer (new Lambda environment) while the broker is down: {@code send()} blocks for metadata. Before the
 * fix it blocked the default 60 s for every message of the batch, far past the claim's hold limit and Lambda's
 * timeout; now one publish returns within about one {@code max.block.ms}, every message reported as a transient
 * failure (retried, never marked).
 */
class BrokerDownAtColdStartTest {

    @Test
    void aBatchFailsWithinOneMaxBlockNotOncePerMessage() throws Exception {
        var messages = new ArrayList<PendingMessage>();
        for (long id = 1; id <= 20; id++) {
            messages.add(new PendingMessage(id, OutboxTables.message("cold-" + id), 0));
        }
        var kafka = SharedServers.kafka();
        kafka.stop();
        var executor = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "cold-publisher");
            t.setDaemon(true);
            return t;
        });
        try {
            var publisher = new KafkaMessagePublisher(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "max.block.ms", 1000), TopicRoutes.eventTypeIsTopic());
            long started = System.nanoTime();
            var publishing = executor.submit(() -> publisher.publish(messages));
            List<PublishResult> results = publishing.get(10, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("one max.block.ms, not 20 of them").isLessThan(Duration.ofSeconds(5));
            assertThat(results).hasSize(20).allMatch(r -> r.outcome() == PublishResult.Outcome.TRANSIENT_FAILURE);
            assertThat(results).extracting(r -> r.message().id()).containsExactlyElementsOf(
                    messages.stream().map(PendingMessage::id).toList());
            executor.submit(publisher::close);
        } finally {
            executor.shutdownNow();
            kafka.start();
        }
    }
}
