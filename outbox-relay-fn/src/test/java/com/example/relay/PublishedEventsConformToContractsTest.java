package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.example.contracts.EventContracts;
import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.TraceContext;
import com.example.order.data.OutboxMessages;
import com.example.order.domain.Order;
import com.example.order.domain.OrderCreated;
import com.example.order.domain.OrderDraft;
import com.example.order.jdbc.DatabaseSchema;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.order.testing.OutboxRecords;
import com.example.servers.PostgresServer;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What consumers really receive: order.created events from the create use case and dead letters (including
 * hostile originals: no key, no value, non-UTF-8 bytes, repeated and empty headers, a long error with U+0000),
 * written through the outbox, published by this function to a real Kafka broker, read back and checked against
 * contracts/ (value and headers, version from ce_dataschema).
 */
class PublishedEventsConformToContractsTest {

    static final String CREATED_TOPIC = "contract-created-" + UUID.randomUUID();
    static final String DLQ_TOPIC = "contract-dlq-" + UUID.randomUUID();
    static final EventContracts CONTRACTS = new EventContracts();
    static ApplicationContext context;
    static PGSimpleDataSource ordersDatabase;
    static OutboxRelayFunction function;

    @BeforeAll
    static void start() {
        var kafka = SharedServers.kafka();
        kafka.createTopics(2, CREATED_TOPIC, DLQ_TOPIC);
        var pg = SharedServers.postgres();
        ordersDatabase = ownDatabase(pg);
        DatabaseSchema.migrateAll(ordersDatabase);
        var properties = new HashMap<String, Object>(Map.of("datasources.default.url", ordersDatabase.getUrl(),
                "datasources.default.username", pg.username(), "datasources.default.password", pg.password()));
        properties.putAll(Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                "topics.order-created", CREATED_TOPIC,
                "topics.order-cancelled-dlq", DLQ_TOPIC,
                "relay.idle-limit", "200ms",
                "relay.safety-margin", "2s"));
        context = ApplicationContext.builder(OutboxRelayFunction.ENVIRONMENT).properties(properties).start();
        function = new OutboxRelayFunction(context);
    }

    /**
     * A database of its own on the shared server with the whole schema (orders + outbox): the other tests of this
     * module share the server's default database with only the outbox schema and a stand-in orders table.
     */
    static PGSimpleDataSource ownDatabase(PostgresServer pg) {
        String name = "relay_contracts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = pg.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(pg.jdbcUrl().replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1"));
        dataSource.setUser(pg.username());
        dataSource.setPassword(pg.password());
        return dataSource;
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    @Test
    void publishedOrderCreatedAndDeadLettersConformToTheirContracts() {
        // What the functions' use cases append, encoded as they encode it (order-core's OutboxMessages), written with
        // the outbox library's writer: the relay's class path has no order store (ADR 0002).
        var orderIds = new HashSet<String>();
        for (TraceContext trace : List.of(new TraceContext(null, null),
                new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "corr-1"))) {
            var draft = new OrderDraft(UUID.randomUUID(), List.of(
                    new OrderDraft.Line(UUID.randomUUID(), BigInteger.valueOf(3), new BigDecimal("0.10")),
                    new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("1000000.00"))));
            Order order = Order.place(UUID.randomUUID(), draft, Instant.now().truncatedTo(ChronoUnit.MICROS));
            append(OutboxMessages.of(OrderCreated.of(UUID.randomUUID(), order), trace, "/order-service/create-order-fn"));
            orderIds.add(order.id().toString());
        }

        String source = "order.cancelled-" + UUID.randomUUID();
        var letters = List.of(
                letter(new ReceivedMessage(source, 0, 1, 1_795_435_200_000L, "CREATE_TIME", null, null, List.of()),
                        "MALFORMED_JSON", "record has no value", new TraceContext(null, null)),
                letter(new ReceivedMessage(source, 1, 2, 0, null, new byte[] {(byte) 0xff, 0}, new byte[] {(byte) 0xc3, 0x28},
                        List.of(new ReceivedMessage.Header("ce_id", null), new ReceivedMessage.Header("x", new byte[0]),
                                new ReceivedMessage.Header("x", utf8("again")))),
                        "MALFORMED_RECORD", "x".repeat(600) + "\u0000", new TraceContext("00-abc", "corr-2")),
                letter(new ReceivedMessage(source, 0, 3, 1_795_435_200_000L, "LOG_APPEND_TIME", utf8("order-7"),
                        utf8("{\"orderId\":\"not-a-uuid\"}"), List.of(new ReceivedMessage.Header("ce_type", utf8("order.cancelled")))),
                        "INVALID_ORDER_ID", "orderId must be a UUID string", new TraceContext(null, null)));
        for (DeadLetter letter : letters) {
            append(OutboxMessages.of(letter, "/order-service/cancel-consumer-fn"));
        }

        RelaySummary summary = function.handleRequest(scheduled(), new TestLambdaContext(Duration.ofSeconds(30)));
        assertThat(summary.backlog()).isZero();

        List<ConsumerRecord<byte[], byte[]>> created = consume(CREATED_TOPIC,
                r -> orderIds.contains(new String(r.key(), StandardCharsets.UTF_8)), orderIds.size());
        for (var record : created) {
            CONTRACTS.requireValid("order.created", record.value(), OutboxRecords.headers(record.headers()));
        }
        List<ConsumerRecord<byte[], byte[]>> dead = consume(DLQ_TOPIC,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(source), letters.size());
        for (var record : dead) {
            CONTRACTS.requireValid("order.cancelled.dlq", record.value(), OutboxRecords.headers(record.headers()));
        }
        assertThat(created).extracting(r -> new String(r.headers().lastHeader("ce_dataschema").value(), StandardCharsets.UTF_8))
                .containsOnly(EventContracts.dataSchema("order.created", 1));
        assertThat(dead).extracting(r -> new String(r.headers().lastHeader("ce_dataschema").value(), StandardCharsets.UTF_8))
                .containsOnly(EventContracts.dataSchema("order.cancelled.dlq", 1));
    }

    static void append(OutboxMessage message) {
        try (Connection c = ordersDatabase.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, message);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static DeadLetter letter(ReceivedMessage message, String kind, String error, TraceContext trace) {
        return new DeadLetter("cancel-consumer-fn", "offset:" + message.position(), message, DeadLetter.ErrorKind.valueOf(kind), error,
                Instant.parse("2026-11-23T12:00:00.123456Z"), trace);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RelayTrigger scheduled() {
        CustomPojoSerializer serializer = ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();
        return serializer.fromJson(OutboxRelayFunctionTest.SCHEDULER_INPUT, RelayTrigger.class);
    }

    /** Reads the topic from the beginning until {@code expected} records match (20 s at most); returns those. */
    static List<ConsumerRecord<byte[], byte[]>> consume(String topic,
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> mine, int expected) {
        var config = Map.<String, Object>of("bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName());
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(config)) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (mine.test(r)) {
                        records.add(r);
                    }
                });
            }
        }
        assertThat(records).as("records on %s", topic).hasSize(expected);
        return records;
    }
}
