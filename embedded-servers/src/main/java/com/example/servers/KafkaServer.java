package com.example.servers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

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

    /** Creates the topics that do not exist yet, with the given partition count (replication factor 1). */
    default void createTopics(int partitions, String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(topics)
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            // Another client created it between our list and create: that is the state we wanted.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topics " + Arrays.toString(topics), e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topics " + Arrays.toString(topics), e);
        }
    }

    @Override
    void close();
}
