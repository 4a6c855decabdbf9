package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.SharedServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        var fixture = new RelayFixture();
        var messages = new ArrayList<PendingMessage>();
        long id = 1;
        for (var m : fixture.interleaved(20, 1)) {
            messages.add(new PendingMessage(id++, m, 0));
        }
        var kafka = SharedServers.kafka();
        kafka.stop();
        var executor = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "cold-publisher");
            t.setDaemon(true);
            return t;
        });
        try {
            var config = RelayFixture.producerConfig();
            config.put("max.block.ms", 1000);
            var publisher = new KafkaMessagePublisher(config, TopicRoutes.eventTypeIsTopic());
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
