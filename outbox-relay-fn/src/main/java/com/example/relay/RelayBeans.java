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
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import javax.sql.DataSource;

/**
 * Wires the outbox library's relay parts from the typed configuration ({@link RelayConfiguration},
 * {@link ProducerConfiguration}, {@link KafkaConnectionConfiguration}, {@link TopicsConfiguration}), bound from
 * application.yml. Nothing here is hard-coded per environment.
 */
@Factory
class RelayBeans {

    /** The settings of a woken relay (and any trigger but the schedule); see {@link RelayDrains} for the others. */
    @Singleton
    RelaySettings relaySettings(RelayConfiguration relay) {
        return relay.settings();
    }

    @Singleton
    RetryPolicy retryPolicy(RelayConfiguration relay) {
        return relay.retryPolicy();
    }

    /** The hold limit exceeds one batch's publish: {@link RelayTimeBudget} checked it at start-up. */
    @Singleton
    OutboxClaimer outboxClaimer(DataSource dataSource, RetryPolicy retryPolicy, RelayConfiguration relay) {
        return new JdbcOutboxClaimer(dataSource, retryPolicy, relay.claimHoldLimit());
    }

    @Singleton
    TopicRoutes topicRoutes(TopicsConfiguration topics) {
        return topics.routes();
    }

    /** The producer; it checks at creation that the topics exist, so only where it is created: the polling relay. */
    @Singleton
    @PollingRelayOnly
    @Bean(preDestroy = "close")
    MessagePublisher messagePublisher(TopicsConfiguration topics, KafkaConnectionConfiguration kafka,
            ProducerConfiguration producer) {
        var config = new HashMap<String, Object>();
        kafka.putInto(config);
        config.put("linger.ms", producer.lingerMs());
        config.put("batch.size", producer.batchSize());
        config.put("compression.type", producer.compressionType());
        config.put("delivery.timeout.ms", producer.deliveryTimeoutMs());
        config.put("request.timeout.ms", producer.requestTimeoutMs());
        config.put("max.block.ms", producer.maxBlockMs());
        config.put("client.id", "outbox-relay");
        var publisher = new KafkaMessagePublisher(config, topics.routes());
        topics.requireExisting(publisher, kafka.bootstrapServers(),
                "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE")));
        return publisher;
    }

    @Singleton
    @PollingRelayOnly
    OutboxRelay outboxRelay(OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings) {
        return new OutboxRelay(claimer, publisher, settings);
    }

    @Singleton
    @PollingRelayOnly
    RelayDrains relayDrains(OutboxRelay woken, OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings,
            RelayConfiguration relay) {
        return new RelayDrains(woken,
                new OutboxRelay(claimer, publisher, settings.withIdleLimit(relay.scheduledIdleLimit())),
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
}
