package com.example.outbox.kafka;

import java.util.Map;

/** Maps an event type to its Kafka topic: an explicit entry if configured, otherwise the event type itself. */
public final class TopicRoutes {

    private final Map<String, String> topicByEventType;

    public TopicRoutes(Map<String, String> topicByEventType) {
        this.topicByEventType = Map.copyOf(topicByEventType);
    }

    public static TopicRoutes eventTypeIsTopic() {
        return new TopicRoutes(Map.of());
    }

    public String topicFor(String eventType) {
        String topic = topicByEventType.get(eventType);
        return topic == null || topic.isBlank() ? eventType : topic;
    }
}
