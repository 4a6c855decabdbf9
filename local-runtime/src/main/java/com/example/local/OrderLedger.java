package com.example.local;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads back what really happened: which orders exist in the database, which events are on a topic. */
final class OrderLedger {

    /** One event on the topic: Kafka key, CloudEvents id ({@code ce_id}), broker timestamp. */
    record Event(String key, String eventId, long timestamp) {
    }

    private OrderLedger() {
    }

    /** Of {@code ids}, those that exist in {@code orders}. */
    static Set<UUID> ordersInDb(DataSource ds, Collection<UUID> ids) throws SQLException {
        var found = new HashSet<UUID>();
        try (Connection c = ds.getConnection();
                var s = c.prepareStatement("select id from orders where id = any(?)")) {
            s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return found;
    }

    /** Every event on {@code topic}, from the beginning to the current end of each partition. */
    static List<Event> readAll(String bootstrapServers, String topic) {
        var props = new HashMap<String, Object>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        var events = new ArrayList<Event>();
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    var id = r.headers().lastHeader("ce_id");
                    events.add(new Event(r.key(), id == null ? null : new String(id.value(), StandardCharsets.UTF_8),
                            r.timestamp()));
                }
            }
        }
        return events;
    }

    static Set<String> keys(List<Event> events) {
        var keys = new HashSet<String>();
        events.forEach(e -> keys.add(e.key()));
        return keys;
    }
}
