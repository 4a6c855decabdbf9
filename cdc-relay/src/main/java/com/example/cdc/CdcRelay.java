package com.example.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDC relay on the Debezium embedded engine: the connector and transforms of {@link OutboxConnectorConfig} read
 * committed {@code outbox_message} rows from PostgreSQL's write-ahead log (logical replication, pgoutput), and each
 * routed record is sent to Kafka by this class's producer, converted with the configured Kafka Connect converters,
 * as a Kafka Connect worker does on MSK Connect.
 *
 * <p>At least once: a batch's source positions are handed back to the engine ({@code markProcessed}) only after the
 * broker acknowledged every record of it, and the engine commits them (offset file, then the replication slot's
 * confirmed LSN) every {@link CdcRelaySettings#offsetFlushInterval()}. A crash before that commit re-sends from the
 * last committed position. The producer never gives up on a record the broker did not refuse for its content (like
 * Kafka Connect's source producer: {@code delivery.timeout.ms} unbounded, one request in flight, {@code acks=all},
 * idempotent as the shared worker settings say; {@link #producerConfig}), so a broker outage only delays; a record the broker refuses (too large) fails the relay, which stops at that record rather
 * than skip it (no parking in CDC mode, ADR 0080).
 *
 * <p>{@code Filter} transforms of the configuration (the heartbeat filter, ADR 0082) are applied here, after the
 * engine's other transforms, not by the engine: a Kafka Connect worker commits the source offset of a record a
 * transform dropped ({@code WorkerSourceTask.recordDropped}), but the embedded engine hands dropped records to nobody,
 * so their offsets would never be committed, and the heartbeats exist only to move the slot's confirmed position.
 * Here a dropped record is not sent, and its position goes back to the engine with the batch's.
 */
public final class CdcRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcRelay.class);

    /**
     * Called after the broker acknowledged a (non-empty) batch and before its positions go back to the engine. Tests
     * use it to kill the relay in that window; it sees the records exactly as sent.
     */
    @FunctionalInterface
    public interface AfterAck {
        AfterAck NONE = records -> {
        };

        void acknowledged(List<ProducerRecord<byte[], byte[]>> records) throws Exception;
    }

    private final DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private final ExecutorService thread;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private final HeaderConverter headerConverter;
    private final AfterAck afterAck;
    private final String topicPrefix;
    private final List<Predicate<SourceRecord>> filters = new ArrayList<>();
    private final java.util.function.Predicate<SourceRecord> dropped;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean stopping;

    private CdcRelay(CdcRelaySettings settings, AfterAck afterAck) {
        this.afterAck = afterAck;
        Map<String, String> connector = connectorConfig(settings);
        this.topicPrefix = connector.get("topic.prefix");
        this.keyConverter = newInstance(connector.get("key.converter"), Converter.class);
        keyConverter.configure(Map.of("converter.type", "key"), true);
        this.valueConverter = newInstance(connector.get("value.converter"), Converter.class);
        valueConverter.configure(Map.of("converter.type", "value"), false);
        this.headerConverter = newInstance(connector.get("header.converter"), HeaderConverter.class);
        headerConverter.configure(Map.of("converter.type", "header"));
        this.producer = new KafkaProducer<>(producerConfig(settings));
        this.dropped = filters(connector, filters);
        var props = new Properties();
        props.putAll(withoutFilters(connector));
        this.engine = DebeziumEngine.create(Connect.class)
                .using(props)
                .notifying(this::handleBatch)
                .using((success, message, error) -> {
                    if (success || stopping) {
                        finished.complete(null);
                    } else {
                        finished.completeExceptionally(error != null ? error : new IllegalStateException(message));
                    }
                })
                .build();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "cdc-relay-" + topicPrefix);
            t.setDaemon(true);
            return t;
        });
        thread.execute(engine);
    }

    /** Starts a relay in the background and returns at once; it runs until {@link #close()} or a fatal error. */
    public static CdcRelay start(CdcRelaySettings settings) {
        return new CdcRelay(settings, AfterAck.NONE);
    }

    /** As {@link #start(CdcRelaySettings)}, with a hook between the broker's acknowledgement and the engine's commit. */
    public static CdcRelay start(CdcRelaySettings settings, AfterAck afterAck) {
        return new CdcRelay(settings, afterAck);
    }

    /** The full engine configuration: shared settings, then the environment's, then the overrides. */
    static Map<String, String> connectorConfig(CdcRelaySettings s) {
        var c = new HashMap<>(OutboxConnectorConfig.shared());
        c.put("name", "outbox-cdc-relay");
        c.put("database.hostname", s.databaseHost());
        c.put("database.port", Integer.toString(s.databasePort()));
        c.put("database.dbname", s.databaseName());
        c.put("database.user", s.databaseUser());
        c.put("database.password", s.databasePassword());
        c.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        c.put("offset.storage.file.filename", s.offsetFile().toString());
        c.put("offset.flush.interval.ms", Long.toString(s.offsetFlushInterval().toMillis()));
        c.putAll(s.connectorOverrides());
        return c;
    }

    private static final String FILTER = "org.apache.kafka.connect.transforms.Filter";

    /** The names of the configuration's {@code Filter} transforms, in chain order. */
    static List<String> filterTransforms(Map<String, String> config) {
        return Arrays.stream(config.getOrDefault("transforms", "").split(",")).map(String::strip)
                .filter(t -> FILTER.equals(config.get("transforms." + t + ".type"))).toList();
    }

    /** The configuration the engine runs: without the {@code Filter} transforms, which {@link #filters} applies. */
    static Map<String, String> withoutFilters(Map<String, String> config) {
        List<String> filters = filterTransforms(config);
        if (filters.isEmpty()) {
            return config;
        }
        var engine = new HashMap<>(config);
        engine.keySet().removeIf(k -> filters.stream().anyMatch(f -> k.startsWith("transforms." + f + ".")));
        engine.put("transforms", String.join(",", Arrays.stream(config.get("transforms").split(",")).map(String::strip)
                .filter(t -> !t.isEmpty() && !filters.contains(t)).toList()));
        return engine;
    }

    /**
     * Whether a record is dropped by one of the configuration's {@code Filter} transforms, as Kafka Connect applies
     * them: without a predicate a Filter drops everything; with one, what the predicate matches ({@code negate}: what
     * it does not). The predicates are created and configured as Connect does ({@code predicates.<name>.*}) and added
     * to {@code created} for closing.
     */
    static java.util.function.Predicate<SourceRecord> filters(Map<String, String> config,
            List<Predicate<SourceRecord>> created) {
        java.util.function.Predicate<SourceRecord> any = r -> false;
        for (String filter : filterTransforms(config)) {
            String name = config.get("transforms." + filter + ".predicate");
            if (name == null) {
                return r -> true;
            }
            @SuppressWarnings("unchecked")
            Predicate<SourceRecord> predicate = newInstance(config.get("predicates." + name + ".type"), Predicate.class);
            var predicateConfig = new HashMap<String, String>();
            String prefix = "predicates." + name + ".";
            config.forEach((k, v) -> {
                if (k.startsWith(prefix) && !k.equals(prefix + "type")) {
                    predicateConfig.put(k.substring(prefix.length()), v);
                }
            });
            predicate.configure(predicateConfig);
            created.add(predicate);
            boolean negate = Boolean.parseBoolean(config.getOrDefault("transforms." + filter + ".negate", "false"));
            any = any.or(r -> predicate.test(r) != negate);
        }
        return any;
    }

    /**
     * The producer: the shared worker file's {@code producer.*} settings (acks, idempotence, linger; what the MSK
     * Connect worker configuration sets), then the caller's overrides, then what no override may change: acks and
     * idempotence from the shared file, and Kafka Connect's own source-producer settings
     * ({@code Worker.baseProducerConfigs}, Kafka 3.7), which MSK Connect's worker configuration cannot change: one
     * request in flight per connection and an unbounded delivery timeout, so a record is never given up and a
     * partition's records are written in send order (ADR 0082).
     */
    static Map<String, Object> producerConfig(CdcRelaySettings s) {
        var shared = OutboxConnectorConfig.workerProducer();
        var c = new HashMap<String, Object>(shared);
        c.putAll(s.producerOverrides());
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, shared.get(ProducerConfig.ACKS_CONFIG));
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, shared.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        // Connect blocks without limit (Long.MAX_VALUE); this relay bounds each wait and sends the same record again.
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    private void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> events,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        // Events the engine's transforms dropped (deletes, updates) never arrive; those the Filter transforms drop
        // (heartbeats) are not sent, but their positions are committed with the batch's.
        var records = new ArrayList<ProducerRecord<byte[], byte[]>>(events.size());
        var acks = new ArrayList<Future<RecordMetadata>>(events.size());
        for (var event : events) {
            if (dropped.test(event.value())) {
                continue;
            }
            var record = toProducerRecord(event.value());
            records.add(record);
            acks.add(sendBlockingThroughOutages(record));
        }
        for (var ack : acks) {
            awaitAck(ack);
        }
        published.addAndGet(records.size());
        if (!records.isEmpty()) {
            try {
                afterAck.acknowledged(records);
            } catch (Exception e) {
                throw new IllegalStateException("relay stopped between Kafka's ack and the offset commit", e);
            }
        }
        for (var event : events) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** Converts as a Kafka Connect worker does: the configured key, value and header converters. */
    ProducerRecord<byte[], byte[]> toProducerRecord(SourceRecord r) {
        var headers = new RecordHeaders();
        for (var h : r.headers()) {
            headers.add(h.key(), headerConverter.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value()));
        }
        byte[] key = keyConverter.fromConnectData(r.topic(), headers, r.keySchema(), r.key());
        byte[] value = valueConverter.fromConnectData(r.topic(), headers, r.valueSchema(), r.value());
        return new ProducerRecord<>(r.topic(), r.kafkaPartition(), null, key, value, headers);
    }

    /**
     * Sends one record, in order after the previous ones. Without the topic's metadata (broker down, producer new)
     * {@code send} waits up to {@code max.block.ms} and returns an already failed future without sending anything:
     * then the same record is sent again, and no later record is sent before it, so the partition's order holds.
     * Returns the pending acknowledgement.
     */
    private Future<RecordMetadata> sendBlockingThroughOutages(ProducerRecord<byte[], byte[]> record)
            throws InterruptedException {
        while (true) {
            Future<RecordMetadata> ack;
            try {
                ack = producer.send(record);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                ack = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            if (!ack.isDone() || !failedWithoutSending(ack)) {
                return ack;
            }
            sendFailures.incrementAndGet();
            if (stopping) {
                throw new InterruptedException("stopping while the broker is unreachable");
            }
            log.warn("Kafka unreachable (no metadata for {}), sending the record again", record.topic());
        }
    }

    /** True for a send the producer gave up before handing it to the broker: no metadata within max.block.ms. */
    private static boolean failedWithoutSending(Future<RecordMetadata> done) throws InterruptedException {
        try {
            done.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
        }
    }

    private void awaitAck(Future<RecordMetadata> ack) throws InterruptedException {
        while (true) {
            try {
                ack.get(500, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (stopping) {
                    throw new InterruptedException("stopping before the broker acknowledged the batch");
                }
            } catch (ExecutionException e) {
                sendFailures.incrementAndGet();
                if (e.getCause() instanceof RetriableException) {
                    // Unbounded delivery timeout: only a producer closing under us ends a retriable send.
                    throw new IllegalStateException("send abandoned: " + e.getCause(), e.getCause());
                }
                throw new IllegalStateException("the broker refused an outbox record; the CDC relay cannot skip "
                        + "it and stops here (ADR 0080): " + e.getCause(), e.getCause());
            }
        }
    }

    /** Records the broker acknowledged since start (each copy counts). */
    public long published() {
        return published.get();
    }

    /** Sends that failed or had to be retried (broker unreachable, refused). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Completes when the engine has stopped; exceptionally if it failed. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /**
     * Waits until the connector streams from the replication slot (Debezium's streaming metric {@code Connected}),
     * that is, after its snapshot; rows committed from then on are read from the WAL.
     *
     * @throws TimeoutException if it does not within {@code timeout}
     */
    public void awaitStreaming(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var server = ManagementFactory.getPlatformMBeanServer();
        while (System.nanoTime() < deadline) {
            if (finished.isDone()) {
                throw new IllegalStateException("the CDC relay stopped before it streamed: " + finished);
            }
            try {
                var names = server.queryNames(new ObjectName(
                        "debezium.postgres:type=connector-metrics,context=streaming,server=" + topicPrefix + ",*"), null);
                for (var name : names) {
                    if (Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
                        return;
                    }
                }
            } catch (javax.management.JMException e) {
                // not registered yet
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("the CDC relay did not start streaming within " + timeout);
    }

    /**
     * Stops: the engine finishes or abandons its current batch, commits the positions of what was acknowledged, and
     * closes the replication connection; the slot stays, so the next start resumes there.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            engine.close();
        } catch (Exception e) {
            log.warn("closing the Debezium engine", e);
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("the Debezium engine did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        var closeables = new ArrayList<AutoCloseable>(List.of(keyConverter, valueConverter, headerConverter));
        closeables.addAll(filters);
        for (AutoCloseable converter : closeables) {
            try {
                converter.close();
            } catch (Exception e) {
                log.debug("closing a converter", e);
            }
        }
    }

    private static <T> T newInstance(String className, Class<T> type) {
        if (className == null) {
            throw new IllegalArgumentException("the connector configuration names no " + type.getSimpleName());
        }
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + className, e);
        }
    }
}
