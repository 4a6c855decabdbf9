package com.example.relay.bench;

import com.example.outbox.MessagePublisher;
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
import java.util.Arrays;
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

/**
 * Relay drain benchmark (a program, not a test): real PostgreSQL and a real KRaft broker on this machine.
 * <ol>
 *   <li>loads N pending outbox rows (~400-byte payloads) and drains them through {@link OutboxRelay} into Kafka;</li>
 *   <li>sends N records of the same size with a plain producer (same settings, acks=all, idempotence);</li>
 *   <li>runs a writer at a steady rate (default 1,000 orders/s, one transaction each) while a relay runs, and
 *       reports commit-to-ack latency.</li>
 * </ol>
 * Run with {@code bin/bench-relay [N] [RATE] [SECONDS] [RELAYS]}.
 */
public final class RelayBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int relays = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        var hikari = new HikariConfig();
        hikari.setJdbcUrl(pg.jdbcUrl());
        hikari.setUsername(pg.username());
        hikari.setPassword(pg.password());
        hikari.setMaximumPoolSize(4);
        try (var ds = new HikariDataSource(hikari)) {
            OutboxSchema.migrate(ds);
            String topic = "bench.relay";
            kafka.createTopics(6, topic, "bench.raw", "bench.latency");
            Map<String, Object> producer = producerConfig(kafka.bootstrapServers());

            // 1. drain
            load(ds, n, topic);
            long start = System.nanoTime();
            var pool = Executors.newFixedThreadPool(relays);
            var runs = new ArrayList<Future<Long>>();
            for (int i = 0; i < relays; i++) {
                runs.add(pool.submit(() -> {
                    try (var publisher = new KafkaMessagePublisher(producer, TopicRoutes.eventTypeIsTopic())) {
                        var relay = new OutboxRelay(new JdbcOutboxClaimer(ds, RetryPolicy.defaults(), Duration.ofSeconds(60)),
                                publisher, RelaySettings.defaults().withIdleLimit(Duration.ZERO).withSafetyMargin(Duration.ZERO));
                        return relay.drain(() -> Long.MAX_VALUE).published();
                    }
                }));
            }
            long published = 0;
            for (var r : runs) {
                published += r.get();
            }
            pool.shutdown();
            double relaySeconds = (System.nanoTime() - start) / 1e9;
            double relayRate = published / relaySeconds;
            System.out.printf("relay drain : %,d events in %.2f s = %,.0f events/s (%d relay(s), batch %d)%n",
                    published, relaySeconds, relayRate, relays, RelaySettings.defaults().batchSize());

            // 2. raw producer, same broker, same record size and settings
            double rawRate = rawProducer(producer, n);
            System.out.printf("raw producer: %,.0f records/s (acks=all, idempotence, 400-byte values)%n", rawRate);
            System.out.printf("ratio relay/raw: %.2f%n", relayRate / rawRate);

            // 3. commit-to-ack latency at a steady rate
            latency(ds, producer, rate, seconds);
        }
        System.exit(0);
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

    static byte[] payload(int size) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) 'x');
        return p;
    }

    /** N rows, two events per aggregate (created, then later cancelled), ~400-byte payloads. */
    static void load(HikariDataSource ds, int n, String topic) throws Exception {
        long t = System.nanoTime();
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("truncate outbox_message");
            s.execute("""
                    insert into outbox_message (message_id, aggregate_type, aggregate_id, event_type, source, occurred_at, payload, headers)
                    select gen_random_uuid(), 'order', 'order-' || (g %% %d), '%s', '/bench', now(),
                           convert_to('{"seq":' || g || ',"pad":"' || repeat('x', 380) || '"}', 'UTF8'),
                           '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}'::jsonb
                      from generate_series(1, %d) g
                    """.formatted(Math.max(1, n / 2), topic, n));
            s.execute("vacuum analyze outbox_message");
        }
        System.out.printf("loaded %,d pending rows in %.1f s%n", n, (System.nanoTime() - t) / 1e9);
    }

    static double rawProducer(Map<String, Object> config, int n) throws Exception {
        byte[] value = payload(400);
        var failures = new AtomicLong();
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("bench.raw", ("order-" + (i % (n / 2))).getBytes(StandardCharsets.UTF_8), value),
                        (m, e) -> {
                            if (e != null) {
                                failures.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failures.get() > 0) {
            System.out.printf("raw producer: %d failures%n", failures.get());
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    static void latency(HikariDataSource ds, Map<String, Object> producer, int rate, int seconds) throws Exception {
        var committedAt = new ConcurrentHashMap<UUID, Long>();
        var latencies = new ConcurrentHashMap<UUID, Long>();
        try (var kafkaPublisher = new KafkaMessagePublisher(producer, TopicRoutes.eventTypeIsTopic())) {
            MessagePublisher timing = new MessagePublisher() {
                @Override
                public List<PublishResult> publish(List<PendingMessage> messages) {
                    var results = kafkaPublisher.publish(messages);
                    long now = System.nanoTime();
                    for (var r : results) {
                        Long committed = committedAt.get(r.message().message().messageId());
                        if (r.acked() && committed != null) {
                            latencies.putIfAbsent(r.message().message().messageId(), now - committed);
                        }
                    }
                    return results;
                }

                @Override
                public void close() {
                }
            };
            var relay = new OutboxRelay(new JdbcOutboxClaimer(ds, RetryPolicy.defaults(), Duration.ofSeconds(60)), timing,
                    RelaySettings.defaults().withIdleLimit(Duration.ofSeconds(2)).withSafetyMargin(Duration.ZERO));
            var relayThread = Executors.newSingleThreadExecutor();
            long relayDeadline = System.nanoTime() + Duration.ofSeconds(seconds + 30).toNanos();
            var relayRun = relayThread.submit(() -> relay.drain(() -> (relayDeadline - System.nanoTime()) / 1_000_000));

            var writer = new JdbcOutboxWriter();
            byte[] value = payload(400);
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
                    writer.append(c, OutboxMessage.json(id, "order", id.toString(), "bench.latency", "/bench",
                            Instant.now(), value));
                    c.commit();
                    committedAt.put(id, System.nanoTime());
                }
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            var run = relayRun.get();
            relayThread.shutdown();
            long[] sorted = latencies.values().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("commit-to-ack at %,.0f orders/s for %d s: %,d acked of %,d, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                            + " (relay batches %d)%n",
                    achieved, seconds, sorted.length, total, pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, run.batches());
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
