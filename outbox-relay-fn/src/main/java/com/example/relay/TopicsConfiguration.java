package com.example.relay;

import com.example.outbox.kafka.TopicRoutes;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.Map;
import java.util.regex.Pattern;

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

    TopicRoutes routes() {
        return new TopicRoutes(Map.of("order.created", orderCreated, "order.cancelled.dlq", orderCancelledDlq));
    }
}
