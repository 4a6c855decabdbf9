package com.example.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRelay;
import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.outbox.testkit.OutboxTestbed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Consumers cannot tell the relays apart: for the same outbox rows, the CDC relay and the polling relay publish
 * records with the same topic, key, value bytes and headers (names, values and order). Both relays run on the same
 * rows: the CDC relay streams the inserts, then the polling relay claims, publishes and marks them (moving them to
 * the published log, a DELETE the CDC relay must ignore), so every event is on the topic exactly twice.
 */
class SameRecordsAsPollingRelayTest {

    @Test
    void bothRelaysPublishIdenticalRecords() throws Exception {
        var testbed = new OutboxTestbed();
        var messages = new ArrayList<OutboxMessage>();
        // Times whose fraction ISO_INSTANT and Debezium's ISO_OFFSET_DATE_TIME print differently, plus a plain one.
        List<Instant> times = List.of(Instant.parse("2026-11-30T12:00:00Z"), Instant.parse("2026-11-30T12:00:00.120Z"),
                Instant.parse("2026-11-30T12:00:00.100200Z"), Instant.parse("2026-11-30T12:00:00.123456Z"),
                Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("2026-11-30T12:00:01.000001Z"));
        for (int i = 0; i < 30; i++) {
            String aggregate = testbed.aggregate(Integer.toString(i % 7));
            byte[] payload = ("{\"n\":" + i + ",\"text\":\"caf\u00e9 \u2603 \\\"quoted\\\"\"}").getBytes(StandardCharsets.UTF_8);
            if (i == 5) {
                payload = new byte[] {0, (byte) 0xff, 10, 13, (byte) 0x80}; // not JSON, not UTF-8: bytes are bytes
            }
            var headers = new LinkedHashMap<String, String>();
            headers.put("x-seq", Integer.toString(i));
            if (i % 2 == 0) {
                headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            }
            if (i % 3 == 0) {
                headers.put("x-correlation-id", "corr-" + i + " \u00fcml");
            }
            messages.add(new OutboxMessage(UUID.randomUUID(), "order", aggregate, testbed.topic(),
                    "/order-service/create-order-fn", i == 7 ? "application/cloudevents+json" : "application/json",
                    times.get(i % times.size()), payload, headers));
        }

        try (var slot = new TestCdcRelays.Slot(); var cdc = slot.start()) {
            cdc.awaitStreaming(Duration.ofSeconds(60));
            testbed.append(messages);
            testbed.awaitDelivered(messages.size(), Duration.ofSeconds(60));
            drainWithPollingRelay(testbed);
            var records = consumeAtLeast(testbed, messages.size() * 2);

            Map<String, List<ConsumerRecord<String, byte[]>>> byId = records.stream()
                    .collect(Collectors.groupingBy(r -> OutboxTestbed.header(r, "ce_id")));
            assertThat(byId).as("every event, and nothing else").hasSize(messages.size());
            byId.forEach((id, copies) -> {
                assertThat(copies).as("one copy per relay of %s (the mark's DELETE published nothing)", id).hasSize(2);
                assertThat(view(copies.get(0))).as("event %s from both relays", id).isEqualTo(view(copies.get(1)));
            });
            for (var m : messages) {
                var r = byId.get(m.messageId().toString()).getFirst();
                assertThat(r.topic()).isEqualTo(TopicRoutes.eventTypeIsTopic().topicFor(m.eventType()));
                assertThat(r.key()).isEqualTo(m.aggregateId());
                assertThat(r.value()).isEqualTo(m.payload());
                assertThat(OutboxTestbed.header(r, "ce_time")).isEqualTo(m.occurredAt().toString());
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> consumeAtLeast(OutboxTestbed testbed, int records) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var read = testbed.consume(records / 2, Duration.ofSeconds(30));
        while (read.size() < records && System.nanoTime() < deadline) {
            read = testbed.consume(records / 2, Duration.ofSeconds(30));
        }
        return read;
    }

    /**
     * What a consumer can see of a record, apart from its offset: topic, partition, key, value, the CloudEvents headers
     * in order, then the extra headers by name. The extras' relative order is not part of the contract: the polling
     * relay sends them in {@code Map.copyOf} order, which differs from JVM to JVM.
     */
    private static List<String> view(ConsumerRecord<String, byte[]> r) {
        var view = new ArrayList<String>();
        view.add("topic=" + r.topic());
        view.add("partition=" + r.partition());
        view.add("key=" + r.key());
        view.add("value=" + Arrays.toString(r.value()));
        var extras = new TreeMap<String, String>();
        for (var h : r.headers()) {
            String text = h.key() + "=" + (h.value() == null ? "(null)" : Arrays.toString(h.value()));
            if (CE_HEADERS.contains(h.key())) {
                view.add("header " + text);
            } else {
                assertThat(extras.put(h.key(), text)).as("header %s appears once", h.key()).isNull();
            }
        }
        view.add("extra headers " + extras.values());
        return view;
    }

    private static final List<String> CE_HEADERS = List.of("ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time",
            "content-type");

    private static void drainWithPollingRelay(OutboxTestbed testbed) throws InterruptedException {
        var config = new HashMap<String, Object>();
        config.put("bootstrap.servers", testbed.bootstrapServers());
        try (var publisher = new KafkaMessagePublisher(config, TopicRoutes.eventTypeIsTopic())) {
            var relay = new OutboxRelay(new JdbcOutboxClaimer(OutboxTestbed.dataSource(),
                    new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ofSeconds(30)), publisher,
                    new RelaySettings(500, Duration.ZERO, Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(50),
                            Duration.ofSeconds(1)));
            assertThat(relay.drain(() -> 60_000).published()).isEqualTo(30);
        }
    }
}
