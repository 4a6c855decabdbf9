package com.example.servers;

/**
 * A real Kafka broker that tests and the local runtime can use, stop and start again.
 *
 * <p>{@link #stop()} and {@link #start()} keep the log directory and the port, so producers and consumers
 * configured with {@link #bootstrapServers()} reconnect by themselves once the broker is back.
 */
public interface KafkaServer extends AutoCloseable {

    String bootstrapServers();

    /** Shuts the broker down; clients see it as unreachable. Logs are kept. */
    void stop();

    /** Starts a stopped broker again on the same port with the same logs. */
    void start();

    /** Creates the topics that do not exist yet, with the given partition count. */
    void createTopics(int partitions, String... topics);

    @Override
    void close();
}
