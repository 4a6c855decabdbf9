package com.example.outbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.Inbox;
import com.example.outbox.InboxFingerprint;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.KafkaServer;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kit test's world: the shared real PostgreSQL (outbox schema migrated, outbox tables emptied) and the shared
 * real Kafka broker from {@link SharedServers}, and a fresh six-partition topic that the test's events are routed to
 * (their event type is the topic's name).
 *
 * <p>Events are numbered per aggregate in the header {@code x-seq} (0, 1, 2, ...), so the kit can check what a
 * consumer sees: every event present, and per aggregate the first deliveries in append order, duplicates allowed.
 */
public final class OutboxTestbed {

    private static final Logger log = LoggerFactory.getLogger(OutboxTestbed.class);
    private static DataSource dataSource;

    private final String topic = "kit-" + UUID.randomUUID();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /**
     * Creates the topic, ready for writes when this returns (see {@code KafkaServer.createTopics}), and empties the
     * outbox tables (not the inbox: its consumers are per test).
     */
    public OutboxTestbed() throws SQLException {
        SharedServers.kafka().createTopics(6, topic);
        try (var c = dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published");
        }
    }

    /** The shared PostgreSQL, outbox schema migrated; each {@code getConnection()} opens a new connection. */
    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            var ds = SharedServers.postgres().dataSource();
            OutboxSchema.migrate(ds);
            dataSource = ds;
        }
        return dataSource;
    }

    public static KafkaServer kafka() {
        return SharedServers.kafka();
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The topic this test's events go to; also their event type. */
    public String topic() {
        return topic;
    }

    /** An event of {@code aggregateId} numbered {@code seq}, with a small JSON payload. */
    public OutboxMessage event(String aggregateId, int seq) {
        return event(aggregateId, seq,
                ("{\"aggregate\":\"" + aggregateId + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }

    public OutboxMessage event(String aggregateId, int seq, byte[] payload) {
        return new OutboxMessage(UUID.randomUUID(), "kit", aggregateId, topic, "/outbox-testkit", "application/json",
                Instant.now(), payload, Map.of("x-seq", Integer.toString(seq)));
    }

    /** An aggregate id unique to this testbed. */
    public String aggregate(String name) {
        return "agg-" + run + "-" + name;
    }

    /** {@code perAggregate} events for each of {@code aggregates} aggregates, interleaved as concurrent writers would. */
    public List<OutboxMessage> interleaved(int aggregates, int perAggregate) {
        return interleaved(aggregates, 0, perAggregate);
    }

    /** Events numbered {@code fromSeq} to {@code fromSeq + count - 1} of the same aggregates as {@link #interleaved(int, int)}. */
    public List<OutboxMessage> interleaved(int aggregates, int fromSeq, int count) {
        var result = new ArrayList<OutboxMessage>();
        for (int seq = fromSeq; seq < fromSeq + count; seq++) {
            for (int a = 0; a < aggregates; a++) {
                result.add(event(aggregate(Integer.toString(a)), seq));
            }
        }
        return result;
    }

    /** Appends with {@code JdbcOutboxWriter}, in one committed transaction, in list order. */
    public void append(List<OutboxMessage> messages) throws SQLException {
        var writer = new JdbcOutboxWriter();
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (var m : messages) {
                writer.append(c, m);
            }
            c.commit();
        }
    }

    /**
     * Appends, past {@code OutboxWriter} (as a hand-written statement or a faulty writer would), event {@code seq} of
     * {@code aggregateId} whose {@code headers} column is valid JSON but not an object of strings: its {@code x-seq}
     * is a number. PostgreSQL accepts it; no relay can send it as it is.
     *
     * @return the row's id
     */
    public long appendUnreadable(String aggregateId, int seq) throws SQLException {
        try (Connection c = dataSource().getConnection();
                var s = c.prepareStatement("insert into outbox_message (message_id, aggregate_type, aggregate_id,"
                        + " event_type, source, occurred_at, payload, headers) values (gen_random_uuid(), 'kit', ?, ?,"
                        + " '/outbox-testkit', now(), ?, jsonb_build_object('x-seq', ?::int)) returning id")) {
            s.setString(1, aggregateId);
            s.setString(2, topic);
            s.setBytes(3, ("{\"aggregate\":\"" + aggregateId + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
            s.setInt(4, seq);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The repair of {@link #appendUnreadable}: its {@code x-seq} header becomes the string it should have been. */
    public void repairUnreadable(long id) throws SQLException {
        try (Connection c = dataSource().getConnection();
                var s = c.prepareStatement("update outbox_message set headers = jsonb_build_object('x-seq', headers->>'x-seq')"
                        + " where id = ?")) {
            s.setLong(1, id);
            assertThat(s.executeUpdate()).as("the unreadable row is still in the outbox").isEqualTo(1);
        }
    }

    /**
     * Every record on the topic (per partition in offset order), reading from the beginning until at least
     * {@code distinctEvents} different events ({@code ce_id}) arrived or {@code timeout} passed; then one more short
     * read to catch further copies already on the broker.
     */
    public List<ConsumerRecord<String, byte[]>> consume(int distinctEvents, Duration timeout) {
        var config = Map.<String, Object>of("bootstrap.servers", bootstrapServers(),
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(),
                "isolation.level", "read_committed",
                // Answer a fetch as soon as anything arrives rather than after the default 500 ms.
                "fetch.max.wait.ms", 100);
        var records = new ArrayList<ConsumerRecord<String, byte[]>>();
        var ids = new HashSet<String>();
        long started = System.nanoTime();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r);
                    ids.add(header(r, "ce_id"));
                }
                if (ids.size() >= distinctEvents) {
                    consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                    break;
                }
            }
        }
        log.info("Read {} records, {} distinct events, of {} wanted from {} in {} ms", records.size(), ids.size(),
                distinctEvents, topic, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return records;
    }

    /** Waits until the topic holds at least {@code distinctEvents} different events; fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> awaitDelivered(int distinctEvents, Duration timeout) {
        var records = consume(distinctEvents, timeout);
        assertThat(distinctIds(records)).as("distinct events on the topic within %s", timeout)
                .hasSizeGreaterThanOrEqualTo(distinctEvents);
        return records;
    }

    public static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static int seq(ConsumerRecord<String, byte[]> r) {
        return Integer.parseInt(header(r, "x-seq"));
    }

    public static Set<String> distinctIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> header(r, "ce_id")).collect(Collectors.toSet());
    }

    /** How many copies of each event ({@code ce_id}) the topic holds. */
    public static Map<String, Long> copies(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(r -> header(r, "ce_id"), Collectors.counting()));
    }

    /**
     * Per aggregate, the sequence numbers of first deliveries in the order Kafka delivered them, as a consumer deduping
     * on {@code ce_id} sees them (records of one key share a partition, so partition order is delivery order).
     * Asserts that all records of an aggregate are on one partition.
     */
    public static Map<String, List<Integer>> firstDeliveriesByAggregate(List<ConsumerRecord<String, byte[]>> records) {
        var byAggregate = new LinkedHashMap<String, List<Integer>>();
        var seen = new HashSet<String>();
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

    /** Asserts that each of {@code aggregates} aggregates' events 0..perAggregate-1 arrived, first deliveries in order. */
    public static void assertCompleteAndOrdered(List<ConsumerRecord<String, byte[]>> records, int aggregates,
            int perAggregate) {
        var byAggregate = firstDeliveriesByAggregate(records);
        assertThat(byAggregate).hasSize(aggregates);
        var expected = new ArrayList<Integer>();
        for (int i = 0; i < perAggregate; i++) {
            expected.add(i);
        }
        byAggregate.forEach((aggregate, seqs) -> assertThat(seqs).as("events of %s", aggregate).isEqualTo(expected));
    }

    /**
     * Applies every record the way a consumer does, through {@code inbox} keyed on {@code ce_id} with the record's
     * {@link InboxFingerprint}, one transaction per record; returns how many were applied (first deliveries). A copy
     * the relay sent again must be byte-identical to the first, so any answer other than first or duplicate fails.
     */
    public static int applyThroughInbox(List<ConsumerRecord<String, byte[]>> records, Inbox inbox, String consumer)
            throws SQLException {
        int applied = 0;
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (var r : records) {
                var headers = new ArrayList<Map.Entry<String, byte[]>>();
                r.headers().forEach(h -> headers.add(new AbstractMap.SimpleImmutableEntry<>(h.key(), h.value())));
                Inbox.Delivery delivery = inbox.receive(c, consumer, header(r, "ce_id"),
                        InboxFingerprint.of(r.value(), headers));
                assertThat(delivery).as("copy of %s at %s-%d-%d", header(r, "ce_id"), r.topic(), r.partition(), r.offset())
                        .isIn(Inbox.Delivery.FIRST, Inbox.Delivery.DUPLICATE);
                if (delivery == Inbox.Delivery.FIRST) {
                    applied++;
                }
                c.commit();
            }
        }
        return applied;
    }
}
