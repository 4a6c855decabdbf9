package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.outbox.OutboxRelay;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.EsmBatch;
import com.example.servers.KafkaServer;
import com.example.servers.SharedServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole flow against the real PostgreSQL and the real Kafka broker: create-order-fn's handler creates the
 * order, the outbox relay publishes order.created, a plain producer sends order.cancelled (and a poison record),
 * a plain consumer reads them, {@link EsmBatch} turns them into the event source mapping's JSON, the cancel
 * consumer handler applies them; a second delivery changes nothing; the relay then publishes the dead letter.
 */
class EndToEndTest {

    static final String CREATED = "order.created";
    static final String CANCELLED = "order.cancelled";
    static final String DLQ = "order.cancelled.dlq";

    static KafkaServer kafka;
    static APIGatewayV2HTTPEventFunction createOrderHandler;
    static CancelConsumerFunction cancelConsumer;
    static OutboxRelay relay;
    static KafkaMessagePublisher publisher;
    static JsonMapper json;
    static CustomPojoSerializer lambdaSerializer = ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();

    @BeforeAll
    static void start() {
        kafka = SharedServers.kafka();
        kafka.createTopics(2, CREATED, CANCELLED, DLQ);
        var createProps = new HashMap<>(TestDatabase.properties());
        createProps.put("create-order.event-source", "/order-service/create-order-fn");
        createProps.put("create-order.max-body-bytes", "65536");
        createOrderHandler = new APIGatewayV2HTTPEventFunction(ApplicationContext.run(createProps));
        cancelConsumer = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        json = cancelConsumer.getApplicationContext().getBean(JsonMapper.class);
        publisher = new KafkaMessagePublisher(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                TopicRoutes.eventTypeIsTopic());
        relay = TestDatabase.outboxRelay(publisher);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        cancelConsumer.close();
        createOrderHandler.close();
    }

    @Test
    void orderCreatedThroughTheApiIsCancelledFromKafkaExactlyOnce() throws Exception {
        // 1. create the order through the API Gateway handler
        APIGatewayV2HTTPResponse created = createOrderHandler.handleRequest(apiEvent("POST", "/orders", """
                {"customerId":"%s","items":[{"productId":"%s","quantity":2,"unitPrice":10.25}]}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID())), LambdaRuntime.context());
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String orderId = json.readValue(created.getBody(), JsonNode.class).get("orderId").getStringValue();

        // 2. the relay publishes order.created
        relay.drain(() -> 30_000);
        List<ConsumerRecord<byte[], byte[]>> createdRecords = readUntil(CREATED, r -> orderId.equals(utf8(r.key())));
        ConsumerRecord<byte[], byte[]> createdEvent = createdRecords.get(createdRecords.size() - 1);
        assertThat(header(createdEvent, "ce_type")).isEqualTo("order.created");
        assertThat(utf8(createdEvent.value())).contains("\"orderId\":\"" + orderId + "\"");

        // 3. a plain producer sends order.cancelled as any client would (key = order id, no headers), plus poison
        RecordMetadata cancelSent;
        RecordMetadata poisonSent;
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
            cancelSent = producer.send(new ProducerRecord<>(CANCELLED, orderId,
                    "{\"orderId\":\"" + orderId + "\",\"reason\":\"customer request\"}")).get();
            poisonSent = producer.send(new ProducerRecord<>(CANCELLED, orderId, "{\"orderId\":\"" + orderId)).get();
        }

        // 4. a plain consumer reads them; the ESM-shaped batch goes to the cancel consumer handler
        List<ConsumerRecord<byte[], byte[]>> records = readUntil(CANCELLED,
                r -> r.partition() == poisonSent.partition() && r.offset() == poisonSent.offset());
        String batch = EsmBatch.msk("arn:aws:kafka:eu-west-1:123456789012:cluster/orders/e2e", kafka.bootstrapServers())
                .addAll(records).toJson();
        assertThat(LambdaRuntime.invoke(cancelConsumer, batch)).isEqualTo("{\"batchItemFailures\":[]}");

        UUID id = UUID.fromString(orderId);
        Map<String, Object> cancelled = TestOrders.row(id);
        assertThat(cancelled.get("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.get("cancel_reason")).isEqualTo("customer request");
        APIGatewayV2HTTPResponse read = createOrderHandler.handleRequest(apiEvent("GET", "/orders/" + orderId, null),
                LambdaRuntime.context());
        assertThat(read.getBody()).contains("\"status\":\"CANCELLED\"");
        assertThat(TestOrders.inboxEntries("offset:" + CANCELLED + "-" + cancelSent.partition() + "-" + cancelSent.offset()))
                .isEqualTo(1);

        // 5. the same batch delivered again changes nothing
        long rows = CancelConsumerFunctionTest.allRows();
        assertThat(LambdaRuntime.invoke(cancelConsumer, batch)).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(TestOrders.row(id)).isEqualTo(cancelled);
        assertThat(CancelConsumerFunctionTest.allRows()).isEqualTo(rows);

        // ... and the poison record reaches order.cancelled.dlq through the outbox and the relay, once.
        relay.drain(() -> 30_000);
        // Other tests dead-letter records of other source topics at the same partition and offset: match the topic too.
        List<ConsumerRecord<byte[], byte[]>> dead = readUntil(DLQ, r -> utf8(r.value()).contains("\"topic\":\"" + CANCELLED + "\",")
                && utf8(r.value()).contains("\"offset\":" + poisonSent.offset() + ",")
                && utf8(r.value()).contains("\"partition\":" + poisonSent.partition()));
        ConsumerRecord<byte[], byte[]> letter = dead.get(dead.size() - 1);
        assertThat(utf8(letter.key())).isEqualTo(orderId);
        assertThat(header(letter, "ce_type")).isEqualTo(DLQ);
        assertThat(header(letter, "dlq-error-kind")).isEqualTo("MALFORMED_JSON");
        JsonNode payload = json.readValue(letter.value(), JsonNode.class);
        assertThat(utf8(Base64.getDecoder().decode(payload.get("value").getStringValue())))
                .isEqualTo("{\"orderId\":\"" + orderId);
        assertThat(dead.stream().filter(r -> header(r, "dlq-source-topic").equals(CANCELLED)
                && header(r, "dlq-source-offset").equals(Long.toString(poisonSent.offset()))
                && header(r, "dlq-source-partition").equals(Integer.toString(poisonSent.partition())))).hasSize(1);
    }

    static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<ConsumerRecord<byte[], byte[]>> last) {
        return readUntil(kafka, topic, last);
    }

    /** Reads the topic from the beginning until a record matches; returns everything read up to and including it. */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(KafkaServer kafka, String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> last) {
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(), "enable.auto.commit", "false"))) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var read = new ArrayList<ConsumerRecord<byte[], byte[]>>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record);
                    if (last.test(record)) {
                        return read;
                    }
                }
            }
            throw new AssertionError("No matching record on " + topic + " within 30 s; read " + read.size());
        }
    }

    static APIGatewayV2HTTPEvent apiEvent(String method, String path, String body) {
        String event = """
                {"version":"2.0","routeKey":"$default","rawPath":"%s","rawQueryString":"",
                 "headers":{"accept":"application/json","content-type":"application/json","host":"api.example.com",
                            "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                 "requestContext":{"accountId":"123456789012","apiId":"e2e","domainName":"api.example.com",
                   "http":{"method":"%s","path":"%s","protocol":"HTTP/1.1","sourceIp":"203.0.113.10","userAgent":"e2e"},
                   "requestId":"e2e-%s","routeKey":"$default","stage":"$default","timeEpoch":1795435200000},
                 "body":%s,"isBase64Encoded":false}"""
                .formatted(path, method, path, UUID.randomUUID(), body == null ? "null" : quote(body));
        return lambdaSerializer.fromJson(event, APIGatewayV2HTTPEvent.class);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : utf8(h.value());
    }

    static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
