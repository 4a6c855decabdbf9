package com.example.outbox.kafka;

import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The default {@link MessagePublisher} for Kafka: one record per message, key = aggregate id, value = payload,
 * CloudEvents binary-binding headers ({@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_specversion},
 * {@code ce_time}, {@code content-type}) plus the message's extra headers (traceparent, correlation id).
 *
 * <p>All producer settings come from the caller (bootstrap servers, security, SASL/IAM); this class only
 * insists on what the delivery guarantee needs: {@code acks=all}, {@code enable.idempotence=true} and at most
 * 5 requests in flight, so the broker keeps a partition's records in send order even across retries (except while
 * the partition's leader holds no state for this producer yet: a later batch can then land before a refused earlier
 * one, which fails; the relay's per-aggregate order never relies on this, a later row is claimed only after the
 * earlier one is acknowledged and marked); and a
 * bounded {@code max.block.ms} ({@value #DEFAULT_MAX_BLOCK_MS} ms unless given), after whose first expiry the rest
 * of the batch is reported as a transient failure without being sent, so one publish never blocks longer than
 * {@code max.block.ms + delivery.timeout.ms}. {@link InFlight#await(Duration)} with a shorter timeout than the
 * delivery timeout gives up at that timeout and discards the producer, so a relay with little time left
 * (ADR 0015) is never held past it by the acknowledgement wait; the send itself can still take up to
 * {@code max.block.ms} when the producer has no metadata yet.
 *
 * <p>A topic that does not exist (MSK creates none on demand; a wrong {@code TOPIC_*} setting, an event type with no
 * route) is told apart from an unreachable broker by the cause Kafka gives the metadata timeout
 * ({@link UnknownTopicOrPartitionException}: the broker answered, the topic is not there). Such a message is
 * {@link PublishResult.Outcome#REJECTED rejected}, so the relay retries it with backoff and then parks it with the
 * reason (never dropped; an operator re-queues it after creating the topic); the rest of the batch is still sent.
 * For {@value #MISSING_TOPIC_RECHECK_SECONDS} s after that answer, further messages for the topic are rejected
 * without sending, so a missing topic costs one {@code max.block.ms} wait per interval, not one per batch.
 * {@link #missingTopics} checks topics up front (the relay function does at start-up).
 */
public final class KafkaMessagePublisher implements MessagePublisher {

    /** Default {@code max.block.ms}: time for a cold producer to fetch metadata (including MSK IAM auth). */
    public static final int DEFAULT_MAX_BLOCK_MS = 5000;
    /** How long a broker's "no such topic" answer is trusted before a message for the topic is sent again. */
    static final int MISSING_TOPIC_RECHECK_SECONDS = 30;
    /** Kafka's own default {@code delivery.timeout.ms}. */
    private static final int DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;

    private final Map<String, Object> producerConfig;
    private final TopicRoutes routes;
    private Producer<byte[], byte[]> producer;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
    private volatile boolean producerSuspect;
    /** The producer's {@code delivery.timeout.ms}: no send stays outstanding longer. */
    private final Duration deliveryTimeout;
    /** Topic → {@link System#nanoTime()} until which the broker's "does not exist" answer is trusted. */
    private final Map<String, Long> missingUntil = new ConcurrentHashMap<>();

    public KafkaMessagePublisher(Map<String, Object> producerConfig, TopicRoutes routes) {
        this(producerConfig, routes, KafkaProducer::new);
    }

    /** With a producer factory, so a test can get hold of the real producer the publisher uses. */
    KafkaMessagePublisher(Map<String, Object> producerConfig, TopicRoutes routes,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
        this.producerConfig = guaranteed(producerConfig);
        this.routes = Objects.requireNonNull(routes);
        this.producerFactory = Objects.requireNonNull(producerFactory);
        this.deliveryTimeout = Duration.ofMillis(Long.parseLong(String.valueOf(this.producerConfig.getOrDefault(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DEFAULT_DELIVERY_TIMEOUT_MS))));
    }

    /** The given settings with the delivery-guarantee settings enforced. */
    public static Map<String, Object> guaranteed(Map<String, Object> config) {
        var c = new HashMap<>(config);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Object inFlight = c.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight == null || Integer.parseInt(inFlight.toString()) > 5) {
            c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        }
        // send() blocks up to max.block.ms (default 60 s) when it has no metadata or buffer: keep that well inside
        // the claim's hold limit and the relay's safety margin, which cover it plus delivery.timeout.ms.
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return Map.copyOf(c);
    }

    @Override
    public List<PublishResult> publish(List<PendingMessage> messages) {
        return send(messages).await();
    }

    @Override
    public InFlight send(List<PendingMessage> messages) {
        Producer<byte[], byte[]> p = producer();
        List<CompletableFuture<PublishResult>> pending = new ArrayList<>(messages.size());
        String unreachable = null;
        for (PendingMessage m : messages) {
            var done = new CompletableFuture<PublishResult>();
            pending.add(done);
            if (unreachable != null) {
                done.complete(PublishResult.transientFailure(m, "not sent, broker unavailable: " + unreachable));
                continue;
            }
            ProducerRecord<byte[], byte[]> record = record(m.message());
            if (knownMissing(record.topic())) {
                done.complete(PublishResult.rejected(m, missingTopic(record.topic())
                        + " (answered within the last " + MISSING_TOPIC_RECHECK_SECONDS + " s; not sent again)"));
                continue;
            }
            try {
                p.send(record, (metadata, error) ->
                        done.complete(error == null ? PublishResult.acked(m) : failureOf(m, record.topic(), error)));
            } catch (InterruptException e) {
                throw e;
            } catch (KafkaException | IllegalStateException e) {
                done.complete(failureOf(m, record.topic(), e));
            }
            // Failed while sending (no metadata within max.block.ms, buffer full): every further send would block
            // as long again, N times over the claim's hold limit and Lambda's time, so the rest is not sent.
            PublishResult early = done.getNow(null);
            if (early != null && early.outcome() == PublishResult.Outcome.TRANSIENT_FAILURE) {
                unreachable = early.error();
            }
        }
        return new InFlight() {
            @Override
            public List<PublishResult> await() {
                return awaitAll(p, pending);
            }

            @Override
            public List<PublishResult> await(Duration timeout) throws TimeoutException {
                if (timeout.compareTo(deliveryTimeout) >= 0) {
                    // The producer itself ends every send within its delivery timeout: no need to cut it short.
                    return awaitAll(p, pending);
                }
                return awaitWithin(p, pending, timeout);
            }
        };
    }

    /**
     * Waits for the callbacks until {@code timeout}; if some are still outstanding then, closes the producer at once
     * (dropping what it still holds, so nothing of the abandoned batch is delivered later from this environment;
     * what already reached the broker stays there, a duplicate of the retry) and throws.
     */
    private List<PublishResult> awaitWithin(Producer<byte[], byte[]> p, List<CompletableFuture<PublishResult>> pending,
            Duration timeout) throws TimeoutException {
        // No flush(): it cannot be bounded. The records leave after linger.ms (a few ms) anyway.
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PublishResult> results = new ArrayList<>(pending.size());
        for (var future : pending) {
            try {
                results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                discardProducer(p);
                throw new TimeoutException(pending.stream().filter(f -> !f.isDone()).count() + " of " + pending.size()
                        + " messages not acknowledged within " + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        closeProducerIfSuspect();
        return results;
    }

    private List<PublishResult> awaitAll(Producer<byte[], byte[]> p, List<CompletableFuture<PublishResult>> pending) {
        if (pending.stream().anyMatch(f -> !f.isDone())) {
            try {
                // The whole batch is handed over, so waiting out linger.ms for more records only adds latency.
                p.flush();
            } catch (InterruptException e) {
                throw e;
            } catch (KafkaException | IllegalStateException e) {
                // A broken or closed producer: the callbacks report it per record below.
            }
        }
        List<PublishResult> results = new ArrayList<>(pending.size());
        for (var future : pending) {
            try {
                results.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        closeProducerIfSuspect();
        return results;
    }

    private void closeProducerIfSuspect() {
        if (producerSuspect) {
            // A failure that retrying the same producer cannot cure (closed, fatal idempotence state, expired
            // credentials): the next batch gets a fresh producer instead of failing the same way until the
            // Lambda environment is recycled.
            producerSuspect = false;
            closeProducer();
        }
    }

    /** The exact record the relay sends for a message (public so benchmarks can send identical records). */
    public ProducerRecord<byte[], byte[]> record(OutboxMessage m) {
        var headers = new RecordHeaders();
        m.recordHeaders().forEach(header -> headers.add(header.getKey(), header.getValue()));
        return new ProducerRecord<>(routes.topicFor(m.eventType()), null, utf8(m.aggregateId()), m.payload(), headers);
    }

    private PublishResult failureOf(PendingMessage m, String topic, Throwable error) {
        if (isAbsentTopic(error)) {
            missingUntil.put(topic, System.nanoTime() + Duration.ofSeconds(MISSING_TOPIC_RECHECK_SECONDS).toNanos());
            return PublishResult.rejected(m, missingTopic(topic) + ": " + error.getMessage());
        }
        if (!(error instanceof RetriableException) && !(error instanceof ApiException)) {
            producerSuspect = true;
        }
        if (error instanceof AuthenticationException) {
            producerSuspect = true;
        }
        return failure(m, error);
    }

    /**
     * Whether the broker answered that the topic does not exist: Kafka gives the metadata timeout that cause
     * (kafka-clients 4.1, {@code KafkaProducer.waitOnMetadata}). A timeout without it means the broker did not
     * answer: an outage.
     */
    private static boolean isAbsentTopic(Throwable error) {
        return error instanceof org.apache.kafka.common.errors.TimeoutException
                && error.getCause() instanceof UnknownTopicOrPartitionException;
    }

    private boolean knownMissing(String topic) {
        Long until = missingUntil.get(topic);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        missingUntil.remove(topic, until);
        return false;
    }

    private static String missingTopic(String topic) {
        return "topic '" + topic + "' does not exist on the cluster (MSK creates no topics on demand: create it, or"
                + " fix the event type's route)";
    }

    /**
     * Which of {@code topics} the cluster says do not exist, asked through this publisher's own producer (the
     * metadata request its first send makes anyway, so a relay that checks at start-up pays no extra connection and
     * no Admin client). Each missing topic costs one {@code max.block.ms} wait: the producer keeps asking until then.
     *
     * @return the topics the broker answered are absent, in the given order; empty if all exist
     * @throws org.apache.kafka.common.errors.TimeoutException if the brokers did not answer within {@code max.block.ms}
     *                                                         (unreachable: nothing could be checked)
     */
    public Set<String> missingTopics(Collection<String> topics) {
        var missing = new LinkedHashSet<String>();
        for (String topic : topics) {
            try {
                producer().partitionsFor(topic);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (!isAbsentTopic(e)) {
                    throw e;
                }
                missing.add(topic);
            }
        }
        return missing;
    }

    /** Transient: nothing is wrong with the message (outage, timeout, missing permission). Rejected: the message is. */
    static PublishResult failure(PendingMessage m, Throwable error) {
        String description = error.getClass().getSimpleName() + ": " + error.getMessage();
        boolean transientFailure = error instanceof RetriableException
                || error instanceof AuthenticationException
                || error instanceof AuthorizationException
                || !(error instanceof ApiException);
        return transientFailure ? PublishResult.transientFailure(m, description) : PublishResult.rejected(m, description);
    }

    private synchronized Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = producerFactory.apply(producerConfig);
        }
        return producer;
    }

    private synchronized void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** Closes this producer without waiting for what it still holds; the next send gets a fresh one. */
    private synchronized void discardProducer(Producer<byte[], byte[]> p) {
        if (producer == p) {
            producer = null;
        }
        p.close(Duration.ZERO);
    }

    @Override
    public void close() {
        closeProducer();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
