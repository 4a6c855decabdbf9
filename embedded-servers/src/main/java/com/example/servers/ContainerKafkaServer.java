package com.example.servers;

import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka (KRaft) in Docker via Testcontainers (opt-in: {@code -Ptestcontainers}). */
final class ContainerKafkaServer extends PausableContainer implements KafkaServer {

    private final KafkaContainer container;

    ContainerKafkaServer() {
        // Like MSK and the embedded broker: no topic is created on first use.
        this(new KafkaContainer("apache/kafka:4.1.1").withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"));
    }

    private ContainerKafkaServer(KafkaContainer container) {
        super(container);
        this.container = container;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }
}
