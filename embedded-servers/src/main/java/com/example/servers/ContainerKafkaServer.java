package com.example.servers;

import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka (KRaft) in Docker via Testcontainers (opt-in: {@code -Ptestcontainers}). */
final class ContainerKafkaServer extends PausableContainer implements KafkaServer {

    private final KafkaContainer container;

    ContainerKafkaServer() {
        this(new KafkaContainer("apache/kafka:4.1.1"));
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
