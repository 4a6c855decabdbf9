package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.MessagePublisher;
import com.example.servers.SharedServers;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The relay refuses to start when a topic it publishes to does not exist (MSK creates none on demand; the embedded
 * broker neither), naming the topic and its setting, instead of timing out on every send later.
 */
class TopicsExistAtStartUpTest {

    private final String created = "startup-created-" + UUID.randomUUID();
    private final String dlq = "startup-dlq-" + UUID.randomUUID();

    private static Map<String, Object> settings(String createdTopic, String dlqTopic) {
        var settings = new HashMap<String, Object>(RelayConfigurationTest.database());
        settings.put("kafka.bootstrap-servers", SharedServers.kafka().bootstrapServers());
        settings.put("topics.order-created", createdTopic);
        settings.put("topics.order-cancelled-dlq", dlqTopic);
        settings.put("relay.producer.max-block-ms", 1000);
        return settings;
    }

    @Test
    void aMissingTopicStopsStartUpNamingItAndItsSetting() {
        SharedServers.kafka().createTopics(1, created);
        try (var context = RelayConfigurationTest.start(settings(created, dlq))) {
            assertThatThrownBy(() -> context.getBean(MessagePublisher.class))
                    .hasStackTraceContaining("Kafka topic '" + dlq + "' (topics.order-cancelled-dlq"
                            + " (TOPIC_ORDER_CANCELLED_DLQ)) does not exist")
                    .hasStackTraceContaining("MSK creates no topics on demand");
        }
    }

    @Test
    void twoMissingTopicsAreNamedInThePlural() {
        try (var context = RelayConfigurationTest.start(settings(created, dlq))) {
            assertThatThrownBy(() -> context.getBean(MessagePublisher.class))
                    .hasStackTraceContaining("Kafka topics '" + created + "' (topics.order-created (TOPIC_ORDER_CREATED))"
                            + " and '" + dlq + "' (topics.order-cancelled-dlq (TOPIC_ORDER_CANCELLED_DLQ)) do not exist")
                    .hasStackTraceContaining("create them the way the deployment does")
                    .hasStackTraceContaining("or correct the settings.");
        }
    }

    @Test
    void withEveryTopicPresentTheRelayStarts() {
        SharedServers.kafka().createTopics(1, created, dlq);
        try (var context = RelayConfigurationTest.start(settings(created, dlq))) {
            assertThat(context.getBean(MessagePublisher.class)).isNotNull();
        }
    }
}
