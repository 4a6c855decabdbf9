package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRelay;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.ds.PGSimpleDataSource;

/** Real PostgreSQL and a real Kafka broker from {@link SharedServers}, a clean outbox, and a topic per test. */
final class RelayFixture {

    static final DataSource dataSource = migratedDataSource();

    final String topic = "relay-test-" + UUID.randomUUID();

    RelayFixture() throws SQLException {
        SharedServers.kafka().createTopics(6, topic);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published");
        }
    }

    private static DataSource migratedDataSource() {
        var pg = SharedServers.postgres();
        var ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        ds.setUser(pg.username());
        ds.setPassword(pg.password());
        OutboxSchema.migrate(ds);
        return ds;
    }

    static Map<String, Object> producerConfig() {
        var config = new HashMap<String, Object>();
        config.put("bootstrap.servers", SharedServers.kafka().bootstrapServers());
        config.put("linger.ms", 5);
        config.put("delivery.timeout.ms", 8000);
        config.put("request.timeout.ms", 3000);
        config.put("reconnect.backoff.max.ms", 500);
        return config;
    }

    KafkaMessagePublisher publisher() {
        return new KafkaMessagePublisher(producerConfig(), TopicRoutes.eventTypeIsTopic());
    }

    OutboxRelay relay(KafkaMessagePublisher publisher, RetryPolicy retry, RelaySettings settings) {
        return new OutboxRelay(new JdbcOutboxClaimer(dataSource, retry, Duration.ofSeconds(30)), publisher, settings);
    }

    static RelaySettings settings(Duration idle) {
        return new RelaySettings(500, Duration.ZERO, idle, Duration.ofMillis(5), Duration.ofMillis(50),
                Duration.ofSeconds(1));
    }

    static LongSupplier budget(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        return () -> (deadline - System.nanoTime()) / 1_000_000;
    }

    OutboxMessage event(String aggregateId, int seq) {
        return event(aggregateId, seq, ("{\"aggregate\":\"" + aggregateId + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }

    OutboxMessage event(String aggregateId, int seq, byte[] payload) {
        return new OutboxMessage(UUID.randomUUID(), "test", aggregateId, topic, "/relay-tests", "application/json",
                Instant.now(), payload, Map.of("x-seq", Integer.toString(seq)));
    }

    /** Appends in one transaction per call, in list order. */
    void append(List<OutboxMessage> messages) throws SQLException {
        var writer = new JdbcOutboxWriter();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (var m : messages) {
                writer.append(c, m);
            }
            c.commit();
        }
    }

    /** n events per aggregate, interleaved across aggregates the way concurrent orders would be. */
    List<OutboxMessage> interleaved(int aggregates, int perAggregate) {
        var result = new ArrayList<OutboxMessage>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int seq = 0; seq < perAggregate; seq++) {
            for (int a = 0; a < aggregates; a++) {
                result.add(event("agg-" + run + "-" + a, seq));
            }
        }
        return result;
    }

    /** Rows the relay has recorded as published (moved to the published log). */
    long publishedCount() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from outbox_published")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long count(String where) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from outbox_message where " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every record of the test topic, per partition in offset order, waiting until at least {@code atLeast} arrived. */
    List<ConsumerRecord<String, byte[]>> consume(int atLeast, Duration timeout) {
        var config = Map.<String, Object>of("bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(),
                "isolation.level", "read_committed");
        var records = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() >= atLeast) {
                    // one more short poll to catch any extra copies (duplicates) already on the broker
                    consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                    break;
                }
            }
        }
        return records;
    }

    static int seq(ConsumerRecord<String, byte[]> r) {
        return Integer.parseInt(new String(r.headers().lastHeader("x-seq").value(), StandardCharsets.UTF_8));
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Per aggregate, the sequence numbers in the order Kafka delivered them (records of one key share a partition,
     * so partition order is delivery order). Copies of an already seen event (at-least-once duplicates) are
     * dropped the way a consumer deduping on ce_id would.
     */
    static Map<String, List<Integer>> firstDeliveriesByAggregate(List<ConsumerRecord<String, byte[]>> records) {
        var byAggregate = new LinkedHashMap<String, List<Integer>>();
        var seen = new java.util.HashSet<String>();
        var partitionOf = new HashMap<String, Integer>();
        for (var r : records) {
            Integer previous = partitionOf.putIfAbsent(r.key(), r.partition());
            assertThat(previous == null || previous == r.partition())
                    .as("all events of aggregate %s on one partition", r.key()).isTrue();
            if (seen.add(header(r, "ce_id"))) {
                byAggregate.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(seq(r));
            }
        }
        return byAggregate;
    }

    static List<Integer> range(int n) {
        var l = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    /** Asserts every aggregate's events arrived completely and in order. */
    static void assertCompleteAndOrdered(List<ConsumerRecord<String, byte[]>> records, int aggregates, int perAggregate) {
        var byAggregate = firstDeliveriesByAggregate(records);
        assertThat(byAggregate).hasSize(aggregates);
        byAggregate.forEach((aggregate, seqs) ->
                assertThat(seqs).as("events of %s", aggregate).isEqualTo(range(perAggregate)));
    }
}
