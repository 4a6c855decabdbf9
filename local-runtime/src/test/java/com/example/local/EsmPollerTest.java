package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.servers.KafkaServer;
import com.example.servers.SharedServers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The event source mapping emulation against the real broker, with a scripted function: what is redelivered after
 * a partial batch failure or a function error, and which offsets end up committed.
 */
class EsmPollerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaServer kafka = SharedServers.kafka();

    /** A function that records every (partition, offset, value) it is handed, and answers as scripted. */
    private static final class ScriptedFunction implements LambdaFunction {
        final List<String> deliveries = Collections.synchronizedList(new ArrayList<>());
        final java.util.function.Function<JsonNode, String> script;

        ScriptedFunction(java.util.function.Function<JsonNode, String> script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public byte[] invoke(byte[] eventJson) throws FunctionError {
            try {
                JsonNode event = JSON.readTree(eventJson);
                assertThat(event.get("eventSource").asText()).isEqualTo("aws:kafka");
                event.get("records").fields().forEachRemaining(p -> p.getValue().forEach(r -> deliveries.add(
                        r.get("partition").asInt() + ":" + new String(Base64.getDecoder().decode(r.get("value").asText()),
                                StandardCharsets.UTF_8))));
                String answer = script.apply(event);
                if (answer == null) {
                    throw new FunctionError("scripted failure", "{\"errorMessage\":\"boom\"}", null);
                }
                return answer.getBytes(StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void partialFailureRedeliversFromTheFailedRecordAndCommitsOnlyWhatSucceeded() throws Exception {
        String topic = newTopic();
        produce(topic, 0, "a0", "a1", "a2", "a3");
        produce(topic, 1, "b0", "b1");
        var failedOnce = new AtomicBoolean();
        var function = new ScriptedFunction(event -> {
            JsonNode p0 = event.get("records").get(topic + "-0");
            if (p0 != null && !failedOnce.get()) {
                for (JsonNode r : p0) {
                    if (r.get("offset").asLong() == 1) {
                        failedOnce.set(true);
                        return "{\"batchItemFailures\":[{\"itemIdentifier\":{\"partition\":\"" + topic
                                + "-0\",\"offset\":1}}]}";
                    }
                }
            }
            return "{\"batchItemFailures\":[]}";
        });

        String group = "esm-test-" + UUID.randomUUID();
        try (var poller = EsmPoller.start(EsmPoller.Settings.of(kafka.bootstrapServers(), topic, group), function)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(group, topic)).containsEntry(0, 4L).containsEntry(1, 2L));
        }

        // a0 once; a1..a3 twice (the failed record and everything after it in its partition); b0, b1 once.
        assertThat(function.deliveries).filteredOn(d -> d.equals("0:a0")).hasSize(1);
        assertThat(function.deliveries).filteredOn(d -> d.equals("0:a1")).hasSize(2);
        assertThat(function.deliveries).filteredOn(d -> d.equals("0:a3")).hasSize(2);
        assertThat(function.deliveries).filteredOn(d -> d.startsWith("1:")).containsExactlyInAnyOrder("1:b0", "1:b1");
    }

    @Test
    void functionErrorRetriesTheWholeBatchAndCommitsNothingMeanwhile() throws Exception {
        String topic = newTopic();
        produce(topic, 0, "x0", "x1");
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        var function = new ScriptedFunction(event -> calls.incrementAndGet() <= 2 ? null : "{}");

        String group = "esm-test-" + UUID.randomUUID();
        try (var poller = EsmPoller.start(EsmPoller.Settings.of(kafka.bootstrapServers(), topic, group), function)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(committed(group, topic)).containsEntry(0, 2L));
        }

        assertThat(function.deliveries).filteredOn(d -> d.equals("0:x0")).hasSize(3);
        assertThat(function.deliveries).filteredOn(d -> d.equals("0:x1")).hasSize(3);
    }

    @Test
    void aFailureOffsetOutsideTheBatchRetriesTheWholeBatchInsteadOfSkippingRecords() throws Exception {
        String topic = newTopic();
        produce(topic, 0, "y0", "y1");
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        // The first answer names offset 5, which the batch (offsets 0-1) does not contain. By then offsets 2-7 exist:
        // committing up to offset 5 would skip y2, y3 and y4 without the function ever seeing them.
        var function = new ScriptedFunction(event -> {
            if (calls.incrementAndGet() > 1) {
                return "{\"batchItemFailures\":[]}";
            }
            try {
                produce(topic, 0, "y2", "y3", "y4", "y5", "y6", "y7");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return "{\"batchItemFailures\":[{\"itemIdentifier\":{\"partition\":\"" + topic + "-0\",\"offset\":5}}]}";
        });

        String group = "esm-test-" + UUID.randomUUID();
        try (var poller = EsmPoller.start(EsmPoller.Settings.of(kafka.bootstrapServers(), topic, group), function)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(committed(group, topic)).containsEntry(0, 8L));
        }

        for (String value : List.of("y0", "y1", "y2", "y3", "y4", "y5", "y6", "y7")) {
            assertThat(function.deliveries).as(value).contains("0:" + value);
        }
    }

    private String newTopic() throws Exception {
        String topic = "esm-test-" + UUID.randomUUID();
        LocalRuntime.createTopics(kafka.bootstrapServers(), 2, List.of(topic));
        return topic;
    }

    private void produce(String topic, int partition, String... values) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, partition, v, v)).get();
            }
        }
    }

    private Map<Integer, Long> committed(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var result = new java.util.HashMap<Integer, Long>();
            offsets.forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) {
                    result.put(tp.partition(), o.offset());
                }
            });
            return result;
        }
    }

}
