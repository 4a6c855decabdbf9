package com.example.campaign;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic's records between two positions, with a plain consumer (no group). */
final class Topics {

    /** One record as the checker needs it. */
    record Rec(String topic, int partition, long offset, String key, String value, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }

        String position() {
            return topic + "/" + partition + "/" + offset;
        }
    }

    private Topics() {
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    static List<TopicPartition> partitions(String topic) {
        return IntStream.range(0, Cluster.PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /** The current end offsets of a topic's partitions. */
    static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
        try (var consumer = consumer(bootstrapServers)) {
            return new HashMap<>(consumer.endOffsets(partitions(topic), Duration.ofSeconds(30)));
        }
    }

    /** Every record from {@code from} (per partition) to the current end, in partition then offset order. */
    static List<Rec> read(String bootstrapServers, String topic, Map<TopicPartition, Long> from) {
        List<Rec> out = new ArrayList<>();
        try (var consumer = consumer(bootstrapServers)) {
            var partitions = partitions(topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            for (var tp : partitions) {
                consumer.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end);
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(toRec(r));
                }
            }
        }
        out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }

    static Rec toRec(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new Rec(r.topic(), r.partition(), r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), headers);
    }
}
