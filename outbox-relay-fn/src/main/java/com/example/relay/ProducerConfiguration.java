package com.example.relay;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Duration;
import java.util.Set;

/**
 * The relay's Kafka producer tuning, {@code relay.producer.*} in application.yml (names and units as Kafka's own
 * producer configs: {@code linger.ms}, {@code batch.size}, ...). The delivery guarantees ({@code acks=all},
 * idempotence, at most 5 requests in flight) are not settings: {@code KafkaMessagePublisher} enforces them.
 *
 * @param lingerMs          {@code linger.ms} ({@code RELAY_KAFKA_LINGER_MS}), 0 or more
 * @param batchSize         {@code batch.size} in bytes ({@code RELAY_KAFKA_BATCH_SIZE}), 0 or more
 * @param compressionType   {@code compression.type} ({@code RELAY_KAFKA_COMPRESSION}): none, gzip, snappy, lz4 or zstd
 * @param deliveryTimeoutMs {@code delivery.timeout.ms} ({@code RELAY_KAFKA_DELIVERY_TIMEOUT_MS}): at least
 *                          {@code linger.ms + request.timeout.ms}, which Kafka itself requires of it
 * @param requestTimeoutMs  {@code request.timeout.ms} ({@code RELAY_KAFKA_REQUEST_TIMEOUT_MS}), above 0
 * @param maxBlockMs        {@code max.block.ms} ({@code RELAY_KAFKA_MAX_BLOCK_MS}), above 0: how long a send may block
 *                          without metadata or buffer space
 * @throws io.micronaut.context.exceptions.ConfigurationException at start-up, naming every broken rule
 */
@Context
@Requires(property = "relay.producer.linger-ms") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("relay.producer")
record ProducerConfiguration(int lingerMs, int batchSize, String compressionType, int deliveryTimeoutMs,
        int requestTimeoutMs, int maxBlockMs) {

    /** Kafka's {@code compression.type} values for a producer. */
    static final Set<String> COMPRESSION_TYPES = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    ProducerConfiguration {
        new ConfigurationRules()
                .require(lingerMs >= 0, "relay.producer.linger-ms (RELAY_KAFKA_LINGER_MS) must not be negative, was " + lingerMs)
                .require(batchSize >= 0, "relay.producer.batch-size (RELAY_KAFKA_BATCH_SIZE) must not be negative, was " + batchSize)
                .require(compressionType != null && COMPRESSION_TYPES.contains(compressionType),
                        "relay.producer.compression-type (RELAY_KAFKA_COMPRESSION) must be one of none, gzip, snappy, lz4,"
                                + " zstd, was " + compressionType)
                .require(requestTimeoutMs > 0, "relay.producer.request-timeout-ms (RELAY_KAFKA_REQUEST_TIMEOUT_MS) must"
                        + " be above zero, was " + requestTimeoutMs)
                .require(maxBlockMs > 0, "relay.producer.max-block-ms (RELAY_KAFKA_MAX_BLOCK_MS) must be above zero, was "
                        + maxBlockMs)
                // Kafka's own rule (ProducerConfig, delivery.timeout.ms); the producer would refuse to start later.
                .require((long) deliveryTimeoutMs >= (long) lingerMs + requestTimeoutMs,
                        "relay.producer.delivery-timeout-ms (RELAY_KAFKA_DELIVERY_TIMEOUT_MS) = " + deliveryTimeoutMs
                                + " must be at least linger-ms + request-timeout-ms = "
                                + ((long) lingerMs + requestTimeoutMs) + ", as Kafka requires")
                .check("relay.producer");
    }

    Duration maxBlock() {
        return Duration.ofMillis(maxBlockMs);
    }

    /**
     * The longest one batch's publish can take: a send blocked {@code max.block.ms} without metadata, then the
     * acknowledgement wait of up to {@code delivery.timeout.ms}.
     */
    Duration oneBatch() {
        return Duration.ofMillis((long) maxBlockMs + deliveryTimeoutMs);
    }
}
