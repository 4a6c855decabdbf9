package com.example.relay.bench;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRelay;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.SharedServers;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Relay drain benchmark (a program, not a test): real PostgreSQL and a real KRaft broker on this machine.
 * <ol>
 *   <li>loads N pending outbox rows (order.created-like JSON, ~450 bytes) and drains them through {@link OutboxRelay}
 *       into Kafka;</li>
 *   <li>sends the very same N records (key, value, headers) with a plain producer (same settings, acks=all,
 *       idempotence);</li>
 *   <li>runs a writer at a steady rate (default 1,000 orders/s, one transaction each) while a relay runs, and
 *       reports commit-to-ack latency.</li>
 * </ol>
 * Run with {@code bin/bench-relay [--cdc] [N] [RATE] [SECONDS] [RELAYS] [IN_FLIGHT=2] [BATCH=1000]}. With
 * {@code --cdc} the same run also measures the CDC relay ({@link CdcBench}) on the same PostgreSQL (started with
 * {@code wal_level=logical} for both) and Kafka, and prints its ratios (ADR 0080).
 */
public final class RelayBenchmark {

    /** The command line: positional N RATE SECONDS RELAYS IN_FLIGHT BATCH, and --cdc (picocli). */
    @Command(name = "bin/bench-relay", mixinStandardHelpOptions = true,
            description = "Relay drain rate against the raw producer, and commit-to-ack latency at a steady rate.")
    static final class Options implements Callable<Integer> {
        @Option(names = "--cdc", description = "also measure the CDC relay on the same PostgreSQL and Kafka (ADR 0080)")
        boolean cdc;
        @Parameters(index = "0", arity = "0..1", defaultValue = "200000", description = "N: pending rows to drain (default ${DEFAULT-VALUE})")
        int n;
        @Parameters(index = "1", arity = "0..1", defaultValue = "1000", description = "RATE: orders/s of the steady writer (default ${DEFAULT-VALUE})")
        int rate;
        @Parameters(index = "2", arity = "0..1", defaultValue = "20", description = "SECONDS of the steady phase (default ${DEFAULT-VALUE})")
        int seconds;
        @Parameters(index = "3", arity = "0..1", defaultValue = "1", description = "RELAYS running side by side (default ${DEFAULT-VALUE})")
        int relays;
        @Parameters(index = "4", arity = "0..1", description = "IN_FLIGHT: batches in flight per relay (default: the relay's)")
        Integer inFlight;
        @Parameters(index = "5", arity = "0..1", description = "BATCH: rows per claim (default: the relay's)")
        Integer batchSize;

        @Override
        public Integer call() throws Exception {
            run(this);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }

    private static void run(Options options) throws Exception {
        boolean cdc = options.cdc;
        if (cdc) {
            // The CDC relay reads the WAL by logical decoding; both relays then run on this same server.
            System.setProperty(com.example.servers.EmbeddedPostgresServer.WAL_LEVEL_PROPERTY, "logical");
        }
        int n = options.n;
        int rate = options.rate;
        int seconds = options.seconds;
        int relays = options.relays;
        int inFlight = options.inFlight != null ? options.inFlight : RelaySettings.defaults().batchesInFlight();
        int batchSize = options.batchSize != null ? options.batchSize : RelaySettings.defaults().batchSize();
        var settings = RelaySettings.defaults().withBatchesInFlight(inFlight).withBatchSize(batchSize).withSafetyMargin(Duration.ZERO);
        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        var hikari = new HikariConfig();
        hikari.setJdbcUrl(pg.jdbcUrl());
        hikari.setUsername(pg.username());
        hikari.setPassword(pg.password());
        hikari.setMaximumPoolSize(Math.max(4, 2 * relays + 1)); // two connections per pipelined relay
        try (var ds = new HikariDataSource(hikari)) {
            OutboxSchema.migrate(ds);
            String topic = "bench.relay";
            kafka.createTopics(6, topic, "bench.raw", "bench.latency");
            Map<String, Object> producer = producerConfig(kafka.bootstrapServers());

            var cdcBench = cdc ? new CdcBench(pg, kafka.bootstrapServers(), producer) : null;
            if (cdc) {
                cdcBench.createSlot(ds, "bench_drain");
            }

            if (cdc) {
                // Not timed: the relay that drained first paid for the JIT compiling the broker, the producer and
                // Debezium (a profile showed C2 on 40% of a core during the CDC drain, which ran first), so each
                // relay first drains a small backlog of the same rows. The polling relay goes first and the CDC
                // warm-up reads past its marks (deletes, dropped by the router), so the timed CDC drain reads only
                // the N rows loaded next.
                int warm = Math.max(1, n / 5);
                load(ds, warm, topic);
                drainPolling(ds, producer, settings, 1, new PhaseTimes());
                load(ds, warm, topic);
                cdcBench.drain(2 * warm, "CDC warm-up (not counted)");
            }

            // 1. drain
            load(ds, n, topic);
            List<OutboxMessage> loaded = readBack(ds);
            System.out.println("payloads: " + describe(loaded));
            double cdcRate = cdc ? cdcBench.drain(n, "CDC drain   ") : 0;
            var phases = new PhaseTimes();
            long start = System.nanoTime();
            long published = drainPolling(ds, producer, settings, relays, phases);
            double relaySeconds = (System.nanoTime() - start) / 1e9;
            double relayRate = published / relaySeconds;
            System.out.printf("relay drain : %,d events in %.2f s = %,.0f events/s (%d relay(s), batch %d, %d batch(es) in flight)%n",
                    published, relaySeconds, relayRate, relays, batchSize, inFlight);
            System.out.println("relay phases (summed over relays): " + phases);

            // 2. raw producer, same broker, the very same records and settings
            double rawRate = rawProducer(producer, loaded);
            System.out.printf("raw producer: %,.0f records/s (same records: key, value, CloudEvents headers; same settings)%n", rawRate);
            System.out.printf("ratio relay/raw: %.2f%n", relayRate / rawRate);
            if (cdc) {
                System.out.printf("ratio CDC/raw: %.2f (target >= 0.60), CDC/polling relay: %.2f%n", cdcRate / rawRate,
                        cdcRate / relayRate);
            }
            loaded = null;

            // 3. commit-to-ack latency at a steady rate
            latency(ds, producer, rate, seconds, settings);
            if (cdc) {
                cdcBench.latency(ds, rate, seconds);
                cdcBench.dropSlots(ds);
            }
        }
        System.exit(0);
    }

    /** Drains the pending rows with {@code relays} polling relays in parallel; returns the events published. */
    static long drainPolling(HikariDataSource ds, Map<String, Object> producer, RelaySettings settings, int relays,
            PhaseTimes phases) throws Exception {
        var pool = Executors.newFixedThreadPool(relays);
        try {
            var runs = new ArrayList<Future<Long>>();
            for (int i = 0; i < relays; i++) {
                runs.add(pool.submit(() -> {
                    try (var publisher = new KafkaMessagePublisher(producer, TopicRoutes.eventTypeIsTopic())) {
                        var relay = new OutboxRelay(phases.claimer(new JdbcOutboxClaimer(ds, RetryPolicy.defaults(), Duration.ofSeconds(60))),
                                phases.publisher(publisher), settings.withIdleLimit(Duration.ZERO));
                        return relay.drain(() -> Long.MAX_VALUE).published();
                    }
                }));
            }
            long published = 0;
            for (var r : runs) {
                published += r.get();
            }
            return published;
        } finally {
            pool.shutdown();
        }
    }

    static Map<String, Object> producerConfig(String bootstrap) {
        var c = new HashMap<String, Object>();
        c.put("bootstrap.servers", bootstrap);
        c.put("linger.ms", 5);
        c.put("batch.size", 262_144);
        c.put("compression.type", "lz4");
        c.put("delivery.timeout.ms", 20_000);
        c.put("request.timeout.ms", 10_000);
        return KafkaMessagePublisher.guaranteed(c);
    }

    /**
     * N rows shaped like create-order's {@code order.created} (three UUIDs, two items with a UUID product id,
     * random quantities and decimal prices, an ISO timestamp; ~450 bytes) and a distinct W3C traceparent each.
     * Two events per aggregate (order id), so half of the rows wait behind their aggregate's head. Random hex
     * makes the values about as compressible as real events (not a run of one repeated character).
     */
    static void load(HikariDataSource ds, int n, String topic) throws Exception {
        long t = System.nanoTime();
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("truncate outbox_message, outbox_published");
            s.execute("""
                    insert into outbox_message (message_id, aggregate_type, aggregate_id, event_type, source, occurred_at, payload, headers)
                    select e.event_id, 'order', e.order_id::text, '%s', '/order-service/create-order-fn', now(),
                           convert_to(json_build_object(
                               'eventId', e.event_id, 'orderId', e.order_id, 'customerId', md5('c' || e.k)::uuid,
                               'totalAmount', e.p1 * e.q1 + e.p2 * e.q2,
                               'items', json_build_array(
                                   json_build_object('productId', md5('p1' || e.g)::uuid, 'quantity', e.q1, 'unitPrice', e.p1),
                                   json_build_object('productId', md5('p2' || e.g)::uuid, 'quantity', e.q2, 'unitPrice', e.p2)),
                               'occurredAt', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8'),
                           jsonb_build_object('traceparent', '00-' || md5('t' || e.g) || '-' || left(md5('s' || e.g), 16) || '-01')
                      from (select g, g %% %d as k, gen_random_uuid() as event_id, md5('o' || (g %% %d))::uuid as order_id,
                                   1 + (random() * 4)::int as q1, 1 + (random() * 4)::int as q2,
                                   round((1 + random() * 200)::numeric, 2) as p1, round((1 + random() * 200)::numeric, 2) as p2
                              from generate_series(1, %d) g) e
                    """.formatted(topic, Math.max(1, n / 2), Math.max(1, n / 2), n));
            s.execute("vacuum analyze outbox_message");
        }
        System.out.printf("loaded %,d pending rows in %.1f s%n", n, (System.nanoTime() - t) / 1e9);
    }

    /** The loaded rows as the relay would read them (read before the timed part). */
    static List<OutboxMessage> readBack(HikariDataSource ds) throws Exception {
        var messages = new ArrayList<OutboxMessage>();
        try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("""
                select message_id, aggregate_type, aggregate_id, event_type, source, content_type, occurred_at, payload,
                       headers->>'traceparent' from outbox_message order by id""")) {
            while (rs.next()) {
                messages.add(new OutboxMessage(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getBytes(8),
                        Map.of("traceparent", rs.getString(9))));
            }
        }
        return messages;
    }

    /** Average value size, and how well consecutive values compress (deflate over 1,000 of them, like a batch). */
    static String describe(List<OutboxMessage> messages) {
        long bytes = messages.stream().mapToLong(m -> m.payload().length).sum();
        var deflater = new java.util.zip.Deflater();
        var sample = new java.io.ByteArrayOutputStream();
        messages.stream().limit(1000).forEach(m -> sample.writeBytes(m.payload()));
        byte[] in = sample.toByteArray();
        deflater.setInput(in);
        deflater.finish();
        byte[] out = new byte[in.length + 1024];
        int compressed = 0;
        while (!deflater.finished()) {
            compressed += deflater.deflate(out);
        }
        return String.format("value %d bytes on average, deflate ratio %.2f", bytes / Math.max(1, messages.size()),
                (double) in.length / compressed);
    }

    /** Sends exactly the records the relay sends (same topic layout, key, value, headers) with a plain producer. */
    static double rawProducer(Map<String, Object> config, List<OutboxMessage> messages) throws Exception {
        var failures = new AtomicLong();
        var recordBuilder = new KafkaMessagePublisher(config, new TopicRoutes(Map.of("bench.relay", "bench.raw")));
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
            for (OutboxMessage m : messages) {
                producer.send(recordBuilder.record(m), (meta, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        recordBuilder.close();
        if (failures.get() > 0) {
            System.out.printf("raw producer: %d failures%n", failures.get());
        }
        return messages.size() / ((System.nanoTime() - start) / 1e9);
    }

    static void latency(HikariDataSource ds, Map<String, Object> producer, int rate, int seconds, RelaySettings settings)
            throws Exception {
        var committedAt = new ConcurrentHashMap<UUID, Long>();
        var ackedAt = new ConcurrentHashMap<UUID, Long>();
        try (var kafkaPublisher = new KafkaMessagePublisher(producer, TopicRoutes.eventTypeIsTopic())) {
            // Records when the relay saw each ack; latency = ack seen - commit returned (both on this JVM's clock).
            MessagePublisher timing = new MessagePublisher() {
                @Override
                public List<PublishResult> publish(List<PendingMessage> messages) {
                    return send(messages).await();
                }

                @Override
                public InFlight send(List<PendingMessage> messages) {
                    InFlight sending = kafkaPublisher.send(messages);
                    return () -> {
                        var results = sending.await();
                        long now = System.nanoTime();
                        for (var r : results) {
                            if (r.acked()) {
                                ackedAt.putIfAbsent(r.message().message().messageId(), now);
                            }
                        }
                        return results;
                    };
                }

                @Override
                public void close() {
                }
            };
            var relay = new OutboxRelay(new JdbcOutboxClaimer(ds, RetryPolicy.defaults(), Duration.ofSeconds(60)), timing,
                    settings.withIdleLimit(Duration.ofSeconds(2)));
            var relayThread = Executors.newSingleThreadExecutor();
            long relayDeadline = System.nanoTime() + Duration.ofSeconds(seconds + 30).toNanos();
            var relayRun = relayThread.submit(() -> relay.drain(() -> (relayDeadline - System.nanoTime()) / 1_000_000));

            var writer = new JdbcOutboxWriter();
            int total = rate * seconds;
            long periodNanos = 1_000_000_000L / rate;
            long start = System.nanoTime();
            try (var c = ds.getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < total; i++) {
                    long due = start + i * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    var id = UUID.randomUUID();
                    var orderId = UUID.randomUUID();
                    writer.append(c, OutboxMessage.json(id, "order", orderId.toString(), "bench.latency", "/bench",
                            Instant.now(), orderCreated(id, orderId)));
                    c.commit();
                    committedAt.put(id, System.nanoTime());
                }
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            var run = relayRun.get();
            relayThread.shutdown();
            long[] sorted = committedAt.entrySet().stream().filter(e -> ackedAt.containsKey(e.getKey()))
                    .mapToLong(e -> ackedAt.get(e.getKey()) - e.getValue()).sorted().toArray();
            System.out.printf("commit-to-ack at %,.0f orders/s for %d s: %,d acked of %,d, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                            + " (relay batches %d)%n",
                    achieved, seconds, sorted.length, total, pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, run.batches());
        }
    }

    /** A create-order-like order.created value (~450 bytes). */
    static byte[] orderCreated(UUID eventId, UUID orderId) {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        var json = new StringBuilder("{\"eventId\":\"").append(eventId).append("\",\"orderId\":\"").append(orderId)
                .append("\",\"customerId\":\"").append(UUID.randomUUID()).append("\",\"totalAmount\":")
                .append(java.math.BigDecimal.valueOf(random.nextLong(100, 60_000), 2)).append(",\"items\":[");
        for (int i = 0; i < 2; i++) {
            json.append(i == 0 ? "" : ",").append("{\"productId\":\"").append(UUID.randomUUID())
                    .append("\",\"quantity\":").append(random.nextInt(1, 5)).append(",\"unitPrice\":")
                    .append(java.math.BigDecimal.valueOf(random.nextLong(100, 20_000), 2)).append('}');
        }
        json.append("],\"occurredAt\":\"").append(Instant.now()).append("\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The CDC relay ({@code CdcRelay}: Debezium embedded engine, the shared connector configuration) on the same
     * PostgreSQL and Kafka, with the polling relay's producer settings (linger, batch size, compression).
     * <ul>
     *   <li>drain: the slot exists (created before the rows were loaded), the engine starts and streams; the rate is
     *       N over the time from "streaming" to the broker's ack of the N-th record (engine start-up excluded, printed
     *       apart);</li>
     *   <li>latency: a fresh slot, the same steady writer as for the polling relay; commit returned to the relay
     *       seeing the batch's acks (its hook between ack and offset commit), both on this JVM's clock.</li>
     * </ul>
     */
    static final class CdcBench {
        private final com.example.servers.PostgresServer pg;
        private final String bootstrap;
        private final Map<String, Object> producer;
        private final List<String> slots = new ArrayList<>();
        private String slot;
        private java.nio.file.Path offsets;

        CdcBench(com.example.servers.PostgresServer pg, String bootstrap, Map<String, Object> producer) {
            this.pg = pg;
            this.bootstrap = bootstrap;
            var p = new HashMap<>(producer);
            // CdcRelay sets the delivery settings itself (Kafka Connect's source-producer ones).
            p.keySet().removeAll(List.of("bootstrap.servers", "delivery.timeout.ms", "acks", "enable.idempotence",
                    "max.in.flight.requests.per.connection", "key.serializer", "value.serializer"));
            this.producer = p;
        }

        private com.example.cdc.CdcRelaySettings settings() {
            return com.example.cdc.CdcRelaySettings.of(pg.jdbcUrl(), pg.username(), pg.password(), bootstrap, offsets)
                    .withOffsetFlushInterval(Duration.ofSeconds(1))
                    .withConnectorOverrides(Map.of("slot.name", slot, "publication.name", slot, "topic.prefix", slot))
                    .withProducerOverrides(producer);
        }

        /** A connector identity whose slot and offsets exist, stopped: rows committed from now on are in its WAL. */
        void createSlot(HikariDataSource ds, String name) throws Exception {
            slot = name;
            slots.add(name);
            offsets = java.nio.file.Files.createTempFile("bench-cdc-" + name, ".dat");
            java.nio.file.Files.delete(offsets);
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                s.execute("truncate outbox_message, outbox_published");
            }
            try (var relay = com.example.cdc.CdcRelay.start(settings())) {
                relay.awaitStreaming(Duration.ofSeconds(120));
                // One event, so the engine commits a streaming position and does not snapshot again at its next start.
                try (var c = ds.getConnection(); var s = c.createStatement()) {
                    s.execute("insert into outbox_message (message_id, aggregate_type, aggregate_id, event_type, source,"
                            + " occurred_at, payload) values (gen_random_uuid(), 'bench', 'priming', 'bench.priming',"
                            + " '/bench', now(), '{}')");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (relay.published() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
        }

        /** Starts the stopped connector over N pending rows; events/s from streaming to the N-th ack. */
        double drain(int n, String label) throws Exception {
            long start = System.nanoTime();
            try (var relay = com.example.cdc.CdcRelay.start(settings())) {
                relay.awaitStreaming(Duration.ofSeconds(120));
                long streaming = System.nanoTime();
                while (relay.published() < n) {
                    if (relay.finished().isDone()) {
                        relay.finished().get();
                    }
                    Thread.sleep(5);
                }
                double secs = (System.nanoTime() - streaming) / 1e9;
                double rate = relay.published() / secs;
                System.out.printf("%s: %,d events in %.2f s = %,.0f events/s (engine start to streaming %.2f s,"
                        + " not counted)%n", label, relay.published(), secs, rate, (streaming - start) / 1e9);
                return rate;
            }
        }

        void latency(HikariDataSource ds, int rate, int seconds) throws Exception {
            createSlot(ds, "bench_latency");
            var committedAt = new ConcurrentHashMap<UUID, Long>();
            var ackedAt = new ConcurrentHashMap<UUID, Long>();
            com.example.cdc.CdcRelay.AfterAck timing = records -> {
                long now = System.nanoTime();
                for (var r : records) {
                    var id = r.headers().lastHeader("ce_id");
                    if (id != null) {
                        ackedAt.putIfAbsent(UUID.fromString(new String(id.value(), StandardCharsets.UTF_8)), now);
                    }
                }
            };
            try (var relay = com.example.cdc.CdcRelay.start(settings(), timing)) {
                relay.awaitStreaming(Duration.ofSeconds(120));
                var writer = new JdbcOutboxWriter();
                int total = rate * seconds;
                long periodNanos = 1_000_000_000L / rate;
                long start = System.nanoTime();
                try (var c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < total; i++) {
                        long due = start + i * periodNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        var id = UUID.randomUUID();
                        var orderId = UUID.randomUUID();
                        writer.append(c, OutboxMessage.json(id, "order", orderId.toString(), "bench.latency", "/bench",
                                Instant.now(), orderCreated(id, orderId)));
                        c.commit();
                        committedAt.put(id, System.nanoTime());
                    }
                }
                double achieved = total / ((System.nanoTime() - start) / 1e9);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!ackedAt.keySet().containsAll(committedAt.keySet()) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long[] sorted = committedAt.entrySet().stream().filter(e -> ackedAt.containsKey(e.getKey()))
                        .mapToLong(e -> ackedAt.get(e.getKey()) - e.getValue()).sorted().toArray();
                System.out.printf("CDC commit-to-ack at %,.0f orders/s for %d s: %,d acked of %,d, p50 %.1f ms, p99 %.1f ms,"
                                + " max %.1f ms (target p99 <= 100 ms)%n", achieved, seconds, sorted.length, total,
                        pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
            }
        }

        void dropSlots(HikariDataSource ds) throws Exception {
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                for (String name : slots) {
                    s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                            + name + "'");
                    s.execute("drop publication if exists " + name);
                }
            }
        }
    }

    /**
     * Wall time the relay thread spends claiming, handing records to the producer, blocked waiting for acks (what the
     * pipelining did not hide) and completing (mark + commit).
     */
    static final class PhaseTimes {
        final java.util.concurrent.atomic.LongAdder claimNanos = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder sendNanos = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder awaitNanos = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder completeNanos = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder batches = new java.util.concurrent.atomic.LongAdder();

        OutboxClaimer claimer(OutboxClaimer delegate) {
            return max -> {
                long t = System.nanoTime();
                ClaimedBatch batch = delegate.claim(max);
                claimNanos.add(System.nanoTime() - t);
                if (!batch.isEmpty()) {
                    batches.increment();
                }
                return new ClaimedBatch() {
                    @Override
                    public List<PendingMessage> messages() {
                        return batch.messages();
                    }

                    @Override
                    public void verifyStillHeld() throws ClaimLostException {
                        batch.verifyStillHeld();
                    }

                    @Override
                    public int complete(List<PublishResult> results) throws java.sql.SQLException {
                        long c = System.nanoTime();
                        try {
                            return batch.complete(results);
                        } finally {
                            completeNanos.add(System.nanoTime() - c);
                        }
                    }

                    @Override
                    public void close() {
                        batch.close();
                    }
                };
            };
        }

        MessagePublisher publisher(MessagePublisher delegate) {
            return new MessagePublisher() {
                @Override
                public List<PublishResult> publish(List<PendingMessage> messages) {
                    return send(messages).await();
                }

                @Override
                public InFlight send(List<PendingMessage> messages) {
                    long t = System.nanoTime();
                    InFlight sending = delegate.send(messages);
                    sendNanos.add(System.nanoTime() - t);
                    return () -> {
                        long w = System.nanoTime();
                        try {
                            return sending.await();
                        } finally {
                            awaitNanos.add(System.nanoTime() - w);
                        }
                    };
                }

                @Override
                public void close() {
                    delegate.close();
                }
            };
        }

        @Override
        public String toString() {
            long b = Math.max(1, batches.sum());
            return String.format("%d batches; per batch: claim %.1f ms, send %.1f ms, wait for acks %.1f ms, mark+commit %.1f ms",
                    batches.sum(), claimNanos.sum() / 1e6 / b, sendNanos.sum() / 1e6 / b, awaitNanos.sum() / 1e6 / b,
                    completeNanos.sum() / 1e6 / b);
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
