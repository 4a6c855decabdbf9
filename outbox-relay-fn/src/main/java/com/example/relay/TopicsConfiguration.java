package com.example.relay;

import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic of each event type the outbox holds, {@code topics.*} in application.yml. Only these types are written
 * to the outbox: {@code order.created} (create-order) and {@code order.cancelled.dlq} (the cancel consumer's dead
 * letters); {@code order.cancelled} is produced by others straight to Kafka, never relayed.
 *
 * @param orderCreated      topic of {@code order.created} ({@code TOPIC_ORDER_CREATED})
 * @param orderCancelledDlq topic of {@code order.cancelled.dlq} ({@code TOPIC_ORDER_CANCELLED_DLQ}); not the same
 *                          topic as {@code orderCreated}
 * @throws io.micronaut.context.exceptions.ConfigurationException at start-up unless both are legal Kafka topic
 *                                                                 names (1–249 of {@code [a-zA-Z0-9._-]}, not
 *                                                                 {@code .} or {@code ..}; Kafka's {@code Topic.validate})
 */
@Context
@Requires(property = "topics.order-created") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("topics")
record TopicsConfiguration(String orderCreated, String orderCancelledDlq) {

    private static final Logger log = LoggerFactory.getLogger(TopicsConfiguration.class);
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    TopicsConfiguration {
        new ConfigurationRules()
                .require(legal(orderCreated), "topics.order-created (TOPIC_ORDER_CREATED) must be a Kafka topic name"
                        + " (1 to 249 of a-z A-Z 0-9 . _ -), was '" + orderCreated + "'")
                .require(legal(orderCancelledDlq), "topics.order-cancelled-dlq (TOPIC_ORDER_CANCELLED_DLQ) must be a"
                        + " Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -), was '" + orderCancelledDlq + "'")
                .require(orderCreated == null || !orderCreated.equals(orderCancelledDlq),
                        "topics.order-created and topics.order-cancelled-dlq must differ, both were '" + orderCreated + "'")
                .check("topics");
    }

    private static boolean legal(String topic) {
        return topic != null && LEGAL_TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }

    /**
     * Start-up check that every topic the relay publishes to exists: MSK creates no topic on demand, so a missing one
     * (a typo in a {@code TOPIC_*} setting, a topic not created yet) would otherwise only show as sends that time out.
     * Asked through the relay's own producer (see {@link KafkaMessagePublisher#missingTopics}): the metadata its
     * first send would fetch anyway, so an on-demand cold start pays one more metadata round trip and no Admin
     * client. In a SnapStart snapshot ({@code snapStart}) the producer is closed afterwards, so no broker connection
     * or credential is frozen into it; the first send after restore opens a new one, as it did before this check.
     *
     * @param snapStart whether this init is a SnapStart snapshot (Lambda's {@code AWS_LAMBDA_INITIALIZATION_TYPE}
     *                  is {@code snap-start})
     * @throws ConfigurationException naming each missing topic, its setting and environment variable
     */
    void requireExisting(KafkaMessagePublisher publisher, String bootstrapServers, boolean snapStart) {
        var settings = new LinkedHashMap<String, String>();
        settings.put(orderCreated, "topics.order-created (TOPIC_ORDER_CREATED)");
        settings.put(orderCancelledDlq, "topics.order-cancelled-dlq (TOPIC_ORDER_CANCELLED_DLQ)");
        long started = System.nanoTime();
        try {
            var missing = new ArrayList<String>();
            for (String topic : publisher.missingTopics(settings.keySet())) {
                missing.add("'" + topic + "' (" + settings.get(topic) + ")");
            }
            if (!missing.isEmpty()) {
                publisher.close();
                boolean one = missing.size() == 1;
                throw new ConfigurationException((one ? "Kafka topic " : "Kafka topics ") + String.join(" and ", missing)
                        + (one ? " does not exist on " : " do not exist on ") + bootstrapServers + ". MSK creates no"
                        + " topics on demand: create " + (one ? "it" : "them") + " the way the deployment does"
                        + " (infra/terraform: aws_msk_topic, or scripts/create-topics.sh on MSK Serverless), or correct"
                        + " the " + (one ? "setting." : "settings."));
            }
            log.info("Topics {} exist (checked in {} ms)", settings.keySet(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // The brokers did not answer: an outage, which the relay rides out (rows stay pending, G1); the topics
            // are checked again at the next cold start, and a missing one is still parked per message meanwhile.
            log.warn("Could not check that topics {} exist, the brokers at {} did not answer within max.block.ms: {}",
                    settings.keySet(), bootstrapServers, e.getMessage());
        } finally {
            if (snapStart) {
                publisher.close();
            }
        }
    }

    TopicRoutes routes() {
        return new TopicRoutes(Map.of("order.created", orderCreated, "order.cancelled.dlq", orderCancelledDlq));
    }
}
