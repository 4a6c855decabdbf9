package com.example.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * THE ANTI-PATTERN, kept only in the chaos demo to show what the outbox prevents: write the order to the database
 * and publish the event straight to Kafka, two systems with no shared transaction. Never copy this into a function.
 * <ul>
 *   <li>{@link #saveThenPublish}: commit, then publish. If Kafka is unreachable the order exists and its event is
 *       lost for good (nothing remembers it has to be sent).</li>
 *   <li>{@link #publishThenFailAndRollBack}: publish inside the transaction, then a later step fails and the
 *       transaction rolls back. The event is out; the order it announces never existed (a phantom).</li>
 * </ul>
 */
final class NaiveDualWrite implements AutoCloseable {

    private final DataSource dataSource;
    private final KafkaProducer<String, String> producer;

    NaiveDualWrite(DataSource dataSource, String bootstrapServers) {
        this.dataSource = dataSource;
        // Short timeouts so an outage shows up in seconds; a longer timeout only delays the same loss.
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** Saves each order (committed), then publishes its event; returns how many publishes failed (= lost events). */
    int saveThenPublish(List<UUID> orderIds, UUID customerId) throws SQLException {
        var sends = new ArrayList<Future<RecordMetadata>>();
        for (UUID id : orderIds) {
            try (Connection c = dataSource.getConnection()) {
                insertOrder(c, id, customerId); // auto-commit: the order is durable now
            }
            try {
                sends.add(producer.send(event(id, customerId)));
            } catch (RuntimeException e) {
                sends.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        int failed = 0;
        for (var send : sends) {
            try {
                send.get();
            } catch (Exception e) {
                failed++; // the naive service logs this and moves on: nothing will ever resend it
            }
        }
        return failed;
    }

    /** Per order: begin, insert, publish (succeeds), then a later statement fails and the transaction rolls back. */
    void publishThenFailAndRollBack(List<UUID> orderIds, UUID customerId) throws Exception {
        for (UUID id : orderIds) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    insertOrder(c, id, customerId);
                    producer.send(event(id, customerId)).get();
                    FailingStep.run(c, id);
                    c.commit();
                } catch (SQLException expected) {
                    c.rollback();
                }
            }
        }
    }

    private static ProducerRecord<String, String> event(UUID orderId, UUID customerId) {
        var record = new ProducerRecord<>("order.created", orderId.toString(),
                JsonNodeFactory.instance.objectNode().put("orderId", orderId.toString())
                        .put("customerId", customerId.toString()).put("strategy", "naive").toString());
        record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", "order.created".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    static void insertOrder(Connection c, UUID id, UUID customerId) throws SQLException {
        var now = Timestamp.from(Instant.now());
        try (var s = c.prepareStatement("insert into orders (id, customer_id, status, total_amount, created_at, updated_at, version)"
                + " values (?, ?, 'CREATED', ?, ?, ?, 0)")) {
            s.setObject(1, id);
            s.setObject(2, customerId);
            s.setBigDecimal(3, new BigDecimal("10.00"));
            s.setTimestamp(4, now);
            s.setTimestamp(5, now);
            s.executeUpdate();
        }
    }

    /** The step after the writes that fails: an item with quantity 0 breaks the table's check constraint. */
    static final class FailingStep {
        private FailingStep() {
        }

        static void run(Connection c, UUID orderId) throws SQLException {
            try (var s = c.prepareStatement("insert into order_items (order_id, line_no, product_id, quantity, unit_price)"
                    + " values (?, 0, ?, 0, 1.00)")) {
                s.setObject(1, orderId);
                s.setObject(2, UUID.randomUUID());
                s.executeUpdate();
            }
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
