package com.example.local;

import com.example.servers.EsmBatch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Lambda event source mapping for one Kafka topic, with {@code FunctionResponseTypes =
 * ["ReportBatchItemFailures"]}:
 * <ul>
 *   <li>polls a consumer group, collecting up to {@code batchSize} records or for the batching window (0.5 s);</li>
 *   <li>hands them to the function as the MSK {@code KafkaEvent} JSON, built by the consumer module's own
 *       {@link EsmBatch} (the function deserialises it with its own serde);</li>
 *   <li>reads the response's {@code batchItemFailures}: for a partition with a reported failure it commits up to the
 *       lowest failed offset and seeks back there, so that record and everything after it in the partition is
 *       delivered again; other partitions are committed past the batch;</li>
 *   <li>a function error (exception, timeout) commits nothing and retries the whole batch, as the mapping does by
 *       default ({@code MaximumRetryAttempts = -1}), with backoff so a broken function does not spin.</li>
 * </ul>
 */
public final class EsmPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EsmPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LOCAL_CLUSTER_ARN = "arn:aws:kafka:local:000000000000:cluster/local/00000000-0000-0000-0000-000000000000-1";

    private final Settings settings;
    private final LambdaFunction function;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    /** What an event source mapping is configured with. */
    public record Settings(String bootstrapServers, String topic, String groupId, int batchSize, Duration batchingWindow,
            Map<String, Object> extraConsumerConfig) {
        public Settings {
            extraConsumerConfig = Map.copyOf(extraConsumerConfig);
        }

        public static Settings of(String bootstrapServers, String topic, String groupId) {
            return new Settings(bootstrapServers, topic, groupId, 100, Duration.ofMillis(500), Map.of());
        }
    }

    private EsmPoller(Settings settings, LambdaFunction function) {
        this.settings = settings;
        this.function = function;
        this.thread = Thread.ofPlatform().name("esm-" + settings.topic()).daemon().unstarted(this::loop);
    }

    public static EsmPoller start(Settings settings, LambdaFunction function) {
        var poller = new EsmPoller(settings, function);
        poller.thread.start();
        return poller;
    }

    /** Blocks until the poller has stopped (after {@link #close()} or a fatal error). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void loop() {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // starting position TRIM_HORIZON
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.batchSize());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(16).toMillis()); // > Lambda's 15 min
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(settings.extraConsumerConfig());
        try (var kafka = new KafkaConsumer<byte[], byte[]>(props)) {
            consumer = kafka;
            kafka.subscribe(List.of(settings.topic()));
            Duration backoff = Duration.ZERO;
            while (running.get()) {
                List<ConsumerRecord<byte[], byte[]>> batch = nextBatch(kafka);
                if (batch.isEmpty()) {
                    continue;
                }
                boolean clean = deliver(kafka, batch);
                backoff = clean ? Duration.ZERO : next(backoff);
                if (!backoff.isZero()) {
                    Thread.sleep(backoff);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() was called
        } catch (RuntimeException e) {
            log.error("event source mapping for {} stopped", settings.topic(), e);
        } finally {
            stopped.countDown();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> nextBatch(KafkaConsumer<byte[], byte[]> kafka) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        long windowEnd = 0;
        while (running.get() && batch.size() < settings.batchSize()) {
            Duration wait = batch.isEmpty() ? Duration.ofMillis(200)
                    : Duration.ofNanos(Math.max(0, windowEnd - System.nanoTime()));
            if (!batch.isEmpty() && wait.isZero()) {
                break;
            }
            var polled = kafka.poll(wait);
            if (batch.isEmpty() && !polled.isEmpty()) {
                windowEnd = System.nanoTime() + settings.batchingWindow().toNanos();
            }
            polled.forEach(batch::add);
            if (batch.isEmpty()) {
                break;
            }
            if (polled.isEmpty()) {
                break; // nothing more arrived within the window's remainder
            }
            // Stay within batchSize: pause fetching once full is handled by max.poll.records per poll.
            if (batch.size() >= settings.batchSize()) {
                break;
            }
        }
        return batch;
    }

    /** Invokes once for the batch and commits/seeks per the outcome. Returns true if everything succeeded. */
    boolean deliver(KafkaConsumer<byte[], byte[]> kafka, List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        Map<TopicPartition, Long> last = new LinkedHashMap<>();
        for (var r : batch) {
            var tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            last.put(tp, r.offset());
        }
        String event = EsmBatch.msk(LOCAL_CLUSTER_ARN, settings.bootstrapServers()).addAll(batch).toJson();
        Map<TopicPartition, Long> failed;
        try {
            byte[] response = function.invoke(event.getBytes(StandardCharsets.UTF_8));
            failed = lowestFailedOffsets(response, first.keySet());
            // An offset outside the batch would commit past records the function never saw: retry the batch instead.
            failed.forEach((tp, offset) -> {
                if (offset < first.get(tp) || offset > last.get(tp)) {
                    throw new IllegalStateException("batchItemFailures names " + tp + " offset " + offset
                            + ", outside the batch's " + first.get(tp) + ".." + last.get(tp));
                }
            });
        } catch (LambdaFunction.FunctionError e) {
            log.warn("{}: batch of {} failed as a whole ({}); retrying it", function.name(), batch.size(), e.errorJson());
            first.forEach(kafka::seek);
            return false;
        } catch (RuntimeException e) {
            log.warn("{}: invocation failed ({}); retrying the batch", function.name(), e.toString());
            first.forEach(kafka::seek);
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (var tp : first.keySet()) {
            Long failedAt = failed.get(tp);
            if (failedAt == null) {
                commits.put(tp, new OffsetAndMetadata(last.get(tp) + 1));
            } else {
                commits.put(tp, new OffsetAndMetadata(failedAt));
                kafka.seek(tp, failedAt);
            }
        }
        kafka.commitSync(commits);
        if (!failed.isEmpty()) {
            log.info("{}: {} partition(s) reported failures {}; redelivering from there", function.name(), failed.size(), failed);
        }
        return failed.isEmpty();
    }

    /**
     * Reads {@code {"batchItemFailures":[{"itemIdentifier":{"partition":"topic-0","offset":15}}]}} (the partition
     * also accepted as a bare number). An identifier that names no partition of the batch fails the whole batch,
     * as Lambda treats an invalid identifier.
     */
    static Map<TopicPartition, Long> lowestFailedOffsets(byte[] response, java.util.Collection<TopicPartition> inBatch) {
        Map<TopicPartition, Long> lowest = new HashMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(response);
        } catch (java.io.IOException e) {
            return lowest; // not a partial batch response: the invocation succeeded
        }
        if (root == null || !root.has("batchItemFailures") || root.get("batchItemFailures").isNull()) {
            return lowest;
        }
        for (JsonNode failure : root.get("batchItemFailures")) {
            JsonNode id = failure.path("itemIdentifier");
            TopicPartition tp = resolve(id.path("partition"), inBatch);
            if (tp == null || !id.path("offset").canConvertToLong()) {
                throw new IllegalStateException("invalid batchItemFailures entry " + failure);
            }
            lowest.merge(tp, id.get("offset").asLong(), Math::min);
        }
        return lowest;
    }

    private static TopicPartition resolve(JsonNode partition, java.util.Collection<TopicPartition> inBatch) {
        for (TopicPartition tp : inBatch) {
            if (partition.isNumber() && partition.asInt() == tp.partition()) {
                return tp;
            }
            if (partition.isTextual() && partition.asText().equals(EsmBatch.partitionKey(tp.topic(), tp.partition()))) {
                return tp;
            }
        }
        return null;
    }

    private static Duration next(Duration backoff) {
        if (backoff.isZero()) {
            return Duration.ofMillis(200);
        }
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : doubled;
    }

    @Override
    public void close() {
        running.set(false);
        var kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
