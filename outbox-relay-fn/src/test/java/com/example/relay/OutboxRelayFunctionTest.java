package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OutboxRelayFunctionTest {

    /** Shape of an EventBridge rule's scheduled event, as in the AWS documentation. */
    static final String SCHEDULED_EVENT = """
            {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",
             "source":"aws.events","account":"123456789012","time":"2026-11-05T12:00:00Z","region":"eu-west-1",
             "resources":["arn:aws:events:eu-west-1:123456789012:rule/outbox-relay"],"detail":{}}""";

    /** Exactly the Input Terraform gives EventBridge Scheduler, with the placeholders filled in as Scheduler does. */
    static final String SCHEDULER_INPUT = """
            {"source":"scheduler","scheduledTime":"2026-11-05T12:01:00Z","executionId":"c0ffee00-aaaa-bbbb-cccc-000000000001"}""";

    static final String CREATED_TOPIC = "relay-fn-created-" + UUID.randomUUID();
    static ApplicationContext context;
    static OutboxRelayFunction function;

    @BeforeAll
    static void start() {
        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        kafka.createTopics(3, CREATED_TOPIC, "order.cancelled.dlq"); // the relay checks every topic it publishes to at start-up
        context = ApplicationContext.builder(OutboxRelayFunction.ENVIRONMENT).properties(Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password(),
                "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "topics.order-created", CREATED_TOPIC,
                "relay.idle-limit", "1500ms",
                "relay.safety-margin", "2s")).start();
        OutboxSchema.migrate(context.getBean(DataSource.class));
        function = new OutboxRelayFunction(context);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    static <T> T lambdaDeserializes(String json, Class<T> type) {
        // The Lambda Java runtime picks the CustomPojoSerializer from the class path with ServiceLoader.
        CustomPojoSerializer serializer = ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();
        return serializer.fromJson(json, type);
    }

    @Test
    void scheduledEventFromAnEventBridgeRuleIsRead() {
        RelayTrigger trigger = lambdaDeserializes(SCHEDULED_EVENT, RelayTrigger.class);
        assertThat(trigger.source()).isEqualTo("aws.events");
        assertThat(trigger.detailType()).isEqualTo("Scheduled Event");
        assertThat(trigger.describe()).isEqualTo("rule:53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
        assertThat(trigger.scheduledFor()).isEqualTo("2026-11-05T12:00:00Z");
    }

    @Test
    void schedulerInputIsRead() {
        RelayTrigger trigger = lambdaDeserializes(SCHEDULER_INPUT, RelayTrigger.class);
        assertThat(trigger.describe()).isEqualTo("scheduler:c0ffee00-aaaa-bbbb-cccc-000000000001");
        assertThat(trigger.scheduledFor()).isEqualTo("2026-11-05T12:01:00Z");
        assertThat(lambdaDeserializes("{}", RelayTrigger.class).describe()).isEqualTo("unknown");
    }

    @Test
    void invocationDrainsTheOutboxToTheConfiguredTopicWithCloudEventsHeadersAndEmitsEmfMetrics() throws Exception {
        var orderId = UUID.randomUUID().toString();
        var eventId = UUID.randomUUID();
        try (var c = context.getBean(DataSource.class).getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, new OutboxMessage(eventId, "order", orderId, "order.created",
                    "/order-service/create-order-fn", "application/json", Instant.parse("2026-11-05T12:00:00Z"),
                    "{\"orderId\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                            "x-correlation-id", "corr-1")));
            c.commit();
        }

        var stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        RelaySummary summary;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            summary = function.handleRequest(lambdaDeserializes(SCHEDULER_INPUT, RelayTrigger.class),
                    new TestLambdaContext(Duration.ofSeconds(30)));
        } finally {
            System.setOut(original);
        }

        assertThat(summary.published()).isGreaterThanOrEqualTo(1);
        assertThat(summary.backlog()).isZero();
        assertThat(summary.stopReason()).isEqualTo("IDLE");
        assertThat(summary.trigger()).startsWith("scheduler:");
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("\"_aws\"").contains("\"RelayLag\"").contains("\"EventsPublished\"")
                .contains("\"BacklogSize\"").contains("\"PublishFailures\"").contains("\"EventsParked\"");

        ConsumerRecord<String, byte[]> record = consumeOne(CREATED_TOPIC);
        assertThat(record.key()).isEqualTo(orderId);
        assertThat(header(record, "ce_id")).isEqualTo(eventId.toString());
        assertThat(header(record, "ce_type")).isEqualTo("order.created");
        assertThat(header(record, "ce_source")).isEqualTo("/order-service/create-order-fn");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_time")).isEqualTo("2026-11-05T12:00:00Z");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(header(record, "traceparent")).startsWith("00-0af7");
        assertThat(header(record, "x-correlation-id")).isEqualTo("corr-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"x\"}");
    }

    @Test
    void aWokenRelayWatchesTheOutboxWhileItIdlesAndReleasesTheWatchWhenItReturns() throws Exception {
        RelayTrigger wakeUp = lambdaDeserializes("{\"source\":\"relay-wake-up\",\"sentBy\":\"create-order\"}",
                RelayTrigger.class);
        assertThat(wakeUp.isScheduled()).isFalse();
        assertThat(wakeUp.describe()).isEqualTo("relay-wake-up:create-order");
        var watch = new com.example.outbox.jdbc.JdbcRelayWatch(context.getBean(DataSource.class));
        var result = new java.util.concurrent.CompletableFuture<RelaySummary>();
        long started = System.nanoTime();
        Thread.ofPlatform().start(() -> result.complete(
                function.handleRequest(wakeUp, new TestLambdaContext(Duration.ofSeconds(30)))));
        Thread.sleep(500);
        assertThat(watch.isWatched()).as("watching while it idles").isTrue();
        RelaySummary summary = result.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("idled relay.idle-limit")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(summary.stopReason()).isEqualTo("IDLE");
        assertThat(watch.isWatched()).as("released when it returned").isFalse();

        started = System.nanoTime();
        function.handleRequest(lambdaDeserializes(SCHEDULER_INPUT, RelayTrigger.class), new TestLambdaContext(Duration.ofSeconds(30)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the scheduled run does not idle (scheduled-idle-limit 0s)")
                .isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void summaryIsSerialisedAsSmallJson() {
        var json = context.getBean(io.micronaut.json.JsonMapper.class);
        var summary = new RelaySummary(5, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 1234, "IDLE", "scheduler:abc");
        assertThat(new String(assertDoesNotThrow(() -> json.writeValueAsBytes(summary)), StandardCharsets.UTF_8))
                .contains("\"published\":5").contains("\"parked\":1").contains("\"backlog\":0")
                .contains("\"durationMillis\":1234");
    }

    private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ConsumerRecord<String, byte[]> consumeOne(String topic) {
        var config = Map.<String, Object>of("bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        var records = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(1);
        return records.getFirst();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
