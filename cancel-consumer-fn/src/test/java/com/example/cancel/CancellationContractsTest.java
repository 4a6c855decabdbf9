package com.example.cancel;

import static com.example.cancel.CancelRecords.topic;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.cancel.esm.EsmRecord;
import com.example.contracts.EventContracts;
import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.example.order.testing.OutboxRecords;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer side of contracts/order.cancelled: the tolerant reader reads every supported version and a future
 * minor revision (unknown fields and headers) and those samples conform to the contract; a newer major version
 * is poison; and the dead letters the function really writes conform to contracts/order.cancelled.dlq.
 */
class CancellationContractsTest {

    /** The record timestamp of every sample: the class's start, within the clock-skew leeway of the orders' creation. */
    static final long RECORD_TIME = System.currentTimeMillis();

    static final EventContracts CONTRACTS = new EventContracts();
    static final String V1 = EventContracts.dataSchema("order.cancelled", 1);
    static CancelConsumerFunction function;
    static CancellationReader reader;

    @BeforeAll
    static void start() {
        function = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        reader = function.getApplicationContext().getBean(CancellationReader.class);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    /** One record: value, then header name/value pairs. */
    record Sample(String name, String value, Map<String, String> headers) {
        static Sample of(String name, String value, String... headerPairs) {
            var headers = new LinkedHashMap<String, String>();
            for (int i = 0; i < headerPairs.length; i += 2) {
                headers.put(headerPairs[i], headerPairs[i + 1]);
            }
            return new Sample(name, value, headers);
        }

        EsmRecord record(String topic, long offset) {
            var list = new ArrayList<ReceivedMessage.Header>();
            headers.forEach((n, v) -> list.add(new ReceivedMessage.Header(n, v.getBytes(StandardCharsets.UTF_8))));
            return new EsmRecord(topic + "-0", topic, 0, offset, RECORD_TIME, "CREATE_TIME", null,
                    value.getBytes(StandardCharsets.UTF_8), list, null);
        }
    }

    /** Every shape of version 1 a producer may send, as documented in README.md, localstack/smoke.sh and the cancel command. */
    static List<Sample> supportedSamples(UUID order) {
        String id = UUID.randomUUID().toString();
        // Now, so after the order's creation: an earlier time (beyond clock skew) would be IMPLAUSIBLE_TIME.
        Instant now = Instant.now();
        return List.of(
                Sample.of("bare, as kcat or the local cancel command sends it",
                        "{\"orderId\":\"" + order + "\",\"reason\":\"customer request\"}", "content-type", "application/json"),
                Sample.of("only the order id", "{\"orderId\":\"" + order + "\"}"),
                Sample.of("all payload fields", "{\"eventId\":\"" + id + "\",\"orderId\":\"" + order + "\",\"reason\":\"r\","
                        + "\"occurredAt\":\"" + now.truncatedTo(java.time.temporal.ChronoUnit.MICROS) + "\",\"schemaVersion\":1}"),
                Sample.of("CloudEvents headers as localstack/smoke.sh sends them", "{\"orderId\":\"" + order + "\",\"reason\":\"smoke test\"}",
                        "ce_id", "smoke-" + id, "ce_type", "order.cancelled", "ce_source", "/smoke", "ce_specversion", "1.0",
                        "ce_time", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), "content-type", "application/json"),
                Sample.of("version in ce_dataschema and in the payload", "{\"schemaVersion\":1,\"orderId\":\"" + order + "\"}",
                        "ce_dataschema", V1, "ce_id", id, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                        "x-correlation-id", "corr-1"));
    }

    /** A producer on a later minor revision of version 1: new optional fields and headers this consumer does not know. */
    static Sample futureMinor(UUID order) {
        return Sample.of("future minor revision of v1",
                "{\"orderId\":\"" + order + "\",\"reason\":\"fraud\",\"reasonCode\":\"FRAUD\",\"requestedBy\":{\"kind\":\"agent\","
                        + "\"id\":42},\"lines\":[1,2],\"refund\":null,\"schemaVersion\":1}",
                "ce_dataschema", V1, "ce_type", "order.cancelled", "ce_specversion", "1.0", "ce_subject", "order/" + order,
                "ce_partitionkey", order.toString(), "x-new-header", "whatever");
    }

    @Test
    void everySupportedVersionAndAFutureMinorAreReadAndConformToTheContract() {
        UUID order = UUID.randomUUID();
        var samples = new ArrayList<>(supportedSamples(order));
        samples.add(futureMinor(order));
        long offset = 0;
        for (Sample sample : samples) {
            CONTRACTS.requireValid("order.cancelled", sample.value().getBytes(StandardCharsets.UTF_8), sample.headers());
            Reading reading = reader.read(sample.record("order.cancelled", offset++));
            assertThat(reading).as(sample.name()).isInstanceOf(Reading.Cancellation.class);
            assertThat(((Reading.Cancellation) reading).orderId()).as(sample.name()).isEqualTo(order);
        }
        var minor = (Reading.Cancellation) reader.read(futureMinor(order).record("order.cancelled", 99));
        assertThat(minor.reason()).isEqualTo("fraud");
        assertThat(minor.cancelledAt()).isEqualTo(Instant.ofEpochMilli(RECORD_TIME));
    }

    @Test
    void aNewerMajorVersionIsPoisonAndBreaksTheV1Contract() {
        UUID order = UUID.randomUUID();
        for (Sample v2 : List.of(
                Sample.of("v2 by header", "{\"orderId\":\"" + order + "\"}", "ce_dataschema", EventContracts.dataSchema("order.cancelled", 2)),
                Sample.of("v2 by payload", "{\"orderId\":\"" + order + "\",\"schemaVersion\":2}"))) {
            Reading reading = reader.read(v2.record("order.cancelled", 1));
            assertThat(reading).as(v2.name()).isInstanceOf(Reading.Poison.class);
            assertThat(((Reading.Poison) reading).kind()).isEqualTo(DeadLetter.ErrorKind.UNSUPPORTED_SCHEMA);
        }
        assertThat(CONTRACTS.violations("order.cancelled", ("{\"orderId\":\"" + order + "\",\"schemaVersion\":2}")
                .getBytes(StandardCharsets.UTF_8), Map.of())).isNotEmpty();
    }

    @Test
    void appliedSamplesAndTheDeadLettersTheFunctionWritesConformToTheirContracts() {
        String topic = topic("contract-");
        var records = new ArrayList<String>();
        var applied = new ArrayList<UUID>();
        long offset = 0;
        for (int i = 0; i < supportedSamples(UUID.randomUUID()).size() + 1; i++) {
            UUID order = TestOrders.create();
            var shapes = new ArrayList<>(supportedSamples(order));
            shapes.add(futureMinor(order));
            records.add(esmRecordJson(shapes.get(i).record(topic, offset++)));
            applied.add(order);
        }
        UUID existing = TestOrders.create();
        var poison = List.of(
                Sample.of("newer major", "{\"orderId\":\"" + existing + "\",\"schemaVersion\":2}", "traceparent", "00-x"),
                Sample.of("not JSON", "{\"orderId\":", "ce_id", "bad-json-" + UUID.randomUUID()),
                Sample.of("unknown order", "{\"orderId\":\"" + UUID.randomUUID() + "\"}", "x-correlation-id", "c"),
                Sample.of("invalid order id", "{\"orderId\":\"12\"}"),
                Sample.of("wrong type", "{\"orderId\":\"" + existing + "\"}", "ce_type", "order.created"));
        for (Sample p : poison) {
            records.add(esmRecordJson(p.record(topic, offset++)));
        }
        String batch = "{\"eventSource\":\"SelfManagedKafka\",\"bootstrapServers\":\"k:9092\",\"records\":{\"" + topic + "-0\":["
                + String.join(",", records) + "]}}";

        assertThat(LambdaRuntime.invoke(function, batch)).isEqualTo("{\"batchItemFailures\":[]}");

        assertThat(applied).allSatisfy(order -> assertThat(TestOrders.status(order)).isEqualTo("CANCELLED"));
        List<ProducerRecord<byte[], byte[]>> dead = OutboxRecords.pendingDeadLetters(topic);
        assertThat(dead).hasSize(poison.size());
        for (var letter : dead) {
            CONTRACTS.requireValid("order.cancelled.dlq", letter.value(), OutboxRecords.headers(letter.headers()));
        }
    }

    /** One record in the event source mapping's JSON (base64 key and value, header values as byte arrays). */
    static String esmRecordJson(EsmRecord r) {
        var headers = new ArrayList<String>();
        for (var h : r.headers()) {
            var bytes = new ArrayList<String>();
            for (byte b : h.value()) {
                bytes.add(Byte.toString(b));
            }
            headers.add("{\"" + h.name() + "\":[" + String.join(",", bytes) + "]}");
        }
        return "{\"topic\":\"" + r.topic() + "\",\"partition\":" + r.partition() + ",\"offset\":" + r.offset()
                + ",\"timestamp\":" + r.timestamp() + ",\"timestampType\":\"" + r.timestampType() + "\""
                + ",\"value\":\"" + Base64.getEncoder().encodeToString(r.value()) + "\",\"headers\":[" + String.join(",", headers) + "]}";
    }
}
