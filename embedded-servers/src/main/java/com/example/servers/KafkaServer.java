package com.example.servers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

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

    /**
     * Creates the topics that do not exist yet, with the given partition count (replication factor 1), and returns
     * once the broker leads every partition of every named topic, so a producer's first send is not refused.
     *
     * <p>Why wait: creation completes when the controller has recorded the topic, and the broker takes up leadership
     * of each partition a moment later; a produce in between is refused with {@code NOT_LEADER_OR_FOLLOWER}. That
     * refusal is not harmless for an idempotent producer with two batches in flight to one partition: the broker,
     * holding no state yet for that producer there, accepts the later batch at any sequence number (Kafka's
     * {@code ProducerAppendInfo.checkSequence}), then refuses the retried earlier one as out of order until its
     * delivery timeout expires. Tests that assert on a batch's acknowledgement then fail at random.
     */
    default void createTopics(int partitions, String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(topics)
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, (short) 1))
                    .toList();
            var partitionCounts = new HashMap<String, Integer>();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    missing.forEach(topic -> partitionCounts.put(topic.name(), partitions));
                } catch (ExecutionException e) {
                    // Another client created it between our list and create: that is the state we wanted.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topics " + Arrays.toString(topics),
                                e.getCause());
                    }
                }
            }
            List<String> others = Arrays.stream(topics).filter(topic -> !partitionCounts.containsKey(topic)).toList();
            if (!others.isEmpty()) {
                admin.describeTopics(others).allTopicNames().get(30, TimeUnit.SECONDS)
                        .forEach((topic, description) -> partitionCounts.put(topic, description.partitions().size()));
            }
            awaitLeaders(admin, partitionCounts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + Arrays.toString(topics), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topics " + Arrays.toString(topics), e);
        }
    }

    /**
     * Returns once each partition's leader has answered a ListOffsets request for it. Only the partition's leader
     * answers one, through the same leadership check as a produce. The admin client retries
     * {@code NOT_LEADER_OR_FOLLOWER} and unknown leaders by itself, but fails at once on a topic its broker does not
     * know yet (the broker learns of a new topic from the controller a moment after creation): that is asked again,
     * every 20 ms, for at most 30 s.
     */
    private static void awaitLeaders(Admin admin, Map<String, Integer> partitionCounts)
            throws InterruptedException, ExecutionException, TimeoutException {
        var latest = new HashMap<TopicPartition, OffsetSpec>();
        partitionCounts.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    void close();
}
