package com.example.relay;

import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxRelay;
import com.example.outbox.OutboxRetention;
import com.example.outbox.OutboxStats;
import com.example.outbox.RelaySettings;
import com.example.outbox.RelayWatch;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.jdbc.JdbcOutboxRetention;
import com.example.outbox.jdbc.JdbcOutboxStats;
import com.example.outbox.jdbc.JdbcRelayWatch;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Wires the outbox library's relay parts from application.yml. Nothing here is hard-coded per environment. */
@Factory
class RelayBeans {

    /** The settings of a woken relay (and any trigger but the schedule); see {@link RelayDrains} for the others. */
    @Singleton
    RelaySettings relaySettings(@Value("${relay.batch-size}") int batchSize,
            @Value("${relay.safety-margin}") Duration safetyMargin,
            @Value("${relay.idle-limit}") Duration idleLimit,
            @Value("${relay.idle-poll-min}") Duration idlePollMin,
            @Value("${relay.idle-poll-max}") Duration idlePollMax,
            @Value("${relay.min-time-budget}") Duration minimumBudget,
            @Value("${relay.producer.max-block-ms}") long maxBlockMs) {
        if (minimumBudget.toMillis() < maxBlockMs) {
            // A cold producer's first send blocks up to max.block.ms, which no acknowledgement deadline can cut short.
            throw new IllegalStateException("relay.min-time-budget (" + minimumBudget + ") must cover the Kafka producer's"
                    + " max.block.ms (" + maxBlockMs + " ms)");
        }
        return new RelaySettings(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, Duration.ofSeconds(5), 1,
                minimumBudget);
    }

    @Singleton
    RetryPolicy retryPolicy(@Value("${relay.max-attempts}") int maxAttempts,
            @Value("${relay.retry-backoff}") Duration backoff,
            @Value("${relay.retry-backoff-max}") Duration backoffMax) {
        return new RetryPolicy(maxAttempts, backoff, backoffMax);
    }

    @Singleton
    OutboxClaimer outboxClaimer(DataSource dataSource, RetryPolicy retryPolicy,
            @Value("${relay.claim-hold-limit}") Duration holdLimit,
            @Value("${relay.producer.delivery-timeout-ms}") long deliveryTimeoutMs,
            @Value("${relay.producer.max-block-ms}") long maxBlockMs) {
        long worstPublishMs = deliveryTimeoutMs + maxBlockMs;
        if (holdLimit.toMillis() <= worstPublishMs) {
            // Otherwise a send still retrying inside the producer could land after another relay took the rows over.
            throw new IllegalStateException("relay.claim-hold-limit (" + holdLimit + ") must exceed the Kafka delivery timeout"
                    + " plus max.block.ms (" + worstPublishMs + " ms)");
        }
        return new JdbcOutboxClaimer(dataSource, retryPolicy, holdLimit);
    }

    @Singleton
    TopicRoutes topicRoutes(@Value("${topics.order-created}") String orderCreated,
            @Value("${topics.order-cancelled-dlq}") String orderCancelledDlq) {
        // Only the event types written to the outbox: order.created (create-order) and order.cancelled.dlq (the
        // cancel consumer's dead letters). order.cancelled is produced by others straight to Kafka, never relayed.
        return new TopicRoutes(Map.of("order.created", orderCreated, "order.cancelled.dlq", orderCancelledDlq));
    }

    @Singleton
    @Bean(preDestroy = "close")
    MessagePublisher messagePublisher(TopicRoutes routes,
            @Value("${kafka.bootstrap-servers}") String bootstrapServers,
            @Value("${kafka.security-protocol}") String securityProtocol,
            @Value("${kafka.sasl-mechanism:}") String saslMechanism,
            @Value("${kafka.sasl-jaas-config:}") String saslJaasConfig,
            @Value("${kafka.sasl-callback-handler-class:}") String saslCallbackHandler,
            @Value("${relay.producer.linger-ms}") int lingerMs,
            @Value("${relay.producer.batch-size}") int batchSize,
            @Value("${relay.producer.compression-type}") String compression,
            @Value("${relay.producer.delivery-timeout-ms}") int deliveryTimeoutMs,
            @Value("${relay.producer.request-timeout-ms}") int requestTimeoutMs,
            @Value("${relay.producer.max-block-ms}") int maxBlockMs) {
        var config = new HashMap<String, Object>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", securityProtocol);
        putIfSet(config, "sasl.mechanism", saslMechanism);
        putIfSet(config, "sasl.jaas.config", saslJaasConfig);
        putIfSet(config, "sasl.client.callback.handler.class", saslCallbackHandler);
        config.put("linger.ms", lingerMs);
        config.put("batch.size", batchSize);
        config.put("compression.type", compression);
        config.put("delivery.timeout.ms", deliveryTimeoutMs);
        config.put("request.timeout.ms", requestTimeoutMs);
        config.put("max.block.ms", maxBlockMs);
        config.put("client.id", "outbox-relay");
        return new KafkaMessagePublisher(config, routes);
    }

    @Singleton
    OutboxRelay outboxRelay(OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings) {
        return new OutboxRelay(claimer, publisher, settings);
    }

    @Singleton
    RelayDrains relayDrains(OutboxRelay woken, OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings,
            @Value("${relay.scheduled-idle-limit}") Duration scheduledIdleLimit) {
        return new RelayDrains(woken,
                new OutboxRelay(claimer, publisher, settings.withIdleLimit(scheduledIdleLimit)),
                new OutboxRelay(claimer, publisher, settings.withIdleLimit(Duration.ZERO)));
    }

    @Singleton
    RelayWatch relayWatch(DataSource dataSource) {
        return new JdbcRelayWatch(dataSource);
    }

    @Singleton
    OutboxStats outboxStats(DataSource dataSource) {
        return new JdbcOutboxStats(dataSource);
    }

    @Singleton
    OutboxRetention outboxRetention(DataSource dataSource) {
        return new JdbcOutboxRetention(dataSource);
    }

    private static void putIfSet(Map<String, Object> config, String key, String value) {
        if (value != null && !value.isBlank()) {
            config.put(key, value);
        }
    }
}
