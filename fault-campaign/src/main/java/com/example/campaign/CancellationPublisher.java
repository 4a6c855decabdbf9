package com.example.campaign;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@code order.cancelled} inputs during a schedule: valid cancellations of acknowledged orders (some with a
 * {@code ce_id} header, some identified only by the payload's {@code eventId}; some orders cancelled twice with
 * different reasons), copies of earlier inputs (same id: a producer retry), and poison (malformed JSON, no
 * {@code orderId}, an unknown order) under a few shared keys, so that dead letters of one key form a sequence.
 *
 * <p>Each record carries the header {@value #EXPECT_HEADER}: {@code apply} or {@code dead-letter}, what the consumer
 * must do with it. The checker reads the inputs back from the topic, so a send whose outcome is unknown (broker
 * down) is judged by what actually arrived.
 */
final class CancellationPublisher {

    static final String EXPECT_HEADER = "campaign-expect";

    private final KafkaProducer<byte[], byte[]> producer;
    private final Schedule schedule;
    private final OrderClients clients;
    private final History history;
    private final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    private volatile boolean stopping;
    private Thread thread;

    CancellationPublisher(String bootstrapServers, Schedule schedule, OrderClients clients, History history) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.schedule = schedule;
        this.clients = clients;
        this.history = history;
    }

    void start() {
        var random = new Random(schedule.seed() * 17 + 5);
        thread = Thread.ofPlatform().name("cancellations").start(() -> run(random));
    }

    /** Stops publishing and waits until everything sent is acknowledged or failed. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join();
        producer.flush();
        producer.close();
    }

    private void run(Random random) {
        int n = 0;
        while (!stopping) {
            sleep(30 + random.nextInt(90));
            double draw = random.nextDouble();
            if (!sent.isEmpty() && draw < schedule.duplicateInput()) {
                var copy = sent.get(random.nextInt(sent.size()));
                publish(copy, "duplicate of an earlier input");
            } else if (draw < schedule.duplicateInput() + schedule.poisonInput()) {
                publish(poison(random, n++), "poison");
            } else if (!clients.acknowledged.isEmpty()) {
                UUID order = clients.acknowledged.get(random.nextInt(clients.acknowledged.size()));
                publish(cancellation(random, order, n++), "cancellation");
            }
        }
    }

    private ProducerRecord<byte[], byte[]> cancellation(Random random, UUID order, int n) {
        UUID eventId = new UUID(random.nextLong(), random.nextLong());
        String value = "{\"orderId\":\"" + order + "\",\"reason\":\"reason-" + n + "\",\"eventId\":\"" + eventId + "\"}";
        var record = new ProducerRecord<>(Cluster.ORDER_CANCELLED, bytes(order.toString()), bytes(value));
        if (random.nextBoolean()) {
            record.headers().add("ce_id", bytes(eventId.toString()));
        }
        record.headers().add(EXPECT_HEADER, bytes("apply"));
        return record;
    }

    private ProducerRecord<byte[], byte[]> poison(Random random, int n) {
        String value = switch (random.nextInt(3)) {
            case 0 -> "{\"orderId\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\",\"reason\":\"unknown order\"}";
            case 1 -> "{\"reason\":\"no order id\"}";
            default -> "{not json " + n;
        };
        var record = new ProducerRecord<>(Cluster.ORDER_CANCELLED, bytes("poison-" + random.nextInt(3)), bytes(value));
        record.headers().add("ce_id", bytes(new UUID(random.nextLong(), random.nextLong()).toString()));
        record.headers().add(EXPECT_HEADER, bytes("dead-letter"));
        return record;
    }

    private void publish(ProducerRecord<byte[], byte[]> record, String what) {
        sent.add(record);
        String key = new String(record.key(), StandardCharsets.UTF_8);
        try {
            producer.send(record, (meta, error) -> history.add("input %s key %s %s", what, key,
                    error == null ? "at " + meta.partition() + "/" + meta.offset() : "not acknowledged: " + error));
        } catch (RuntimeException e) {
            history.add("input %s key %s not sent: %s", what, key, e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
