package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.outbox.OutboxMessage;
import com.example.outbox.RelayTimeBudgetException;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The relay function with the time settings Terraform deploys (safety margin 30 s, minimum budget 5 s), invoked
 * with 25 s and with 3 s left, against real PostgreSQL and Kafka: 25 s publishes; 3 s is a function error with an
 * ERROR log, and every row is still there for the next invocation.
 */
class ShortInvocationFunctionTest {

    static final String TOPIC = "relay-fn-short-" + UUID.randomUUID();
    static ApplicationContext context;
    static OutboxRelayFunction function;
    static DataSource dataSource;

    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger invocationLog = (Logger) LoggerFactory.getLogger(RelayInvocation.class);

    @BeforeAll
    static void start() {
        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        kafka.createTopics(3, TOPIC, "order.cancelled.dlq"); // the relay checks every topic it publishes to at start-up
        // Only connection and topic settings here: the time settings are application.yml's, i.e. what is deployed.
        context = ApplicationContext.builder(OutboxRelayFunction.ENVIRONMENT).properties(Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password(),
                "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "topics.order-created", TOPIC,
                "relay.idle-limit", "200ms")).start();
        dataSource = context.getBean(DataSource.class);
        OutboxSchema.migrate(dataSource);
        function = new OutboxRelayFunction(context);
        assertThat(context.getProperty("relay.safety-margin", Duration.class)).contains(Duration.ofSeconds(30));
        assertThat(context.getProperty("relay.min-time-budget", Duration.class)).contains(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        invocationLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        invocationLog.detachAppender(logs);
    }

    @Test
    void twentyFiveSecondsLeftPublishesThePendingRows() throws Exception {
        Set<UUID> ids = appendOrders(40);

        RelaySummary summary = function.handleRequest(new RelayTrigger("scheduler", null, null, null, null, "short-25", null),
                new TestLambdaContext(Duration.ofSeconds(25)));

        assertThat(summary.published()).isGreaterThanOrEqualTo(40);
        assertThat(pending(ids)).isZero();
        assertThat(consumedIds(ids)).containsAll(ids);
        assertThat(errors()).isEmpty();
    }

    @Test
    void threeSecondsLeftIsAFunctionErrorWithAnErrorLogAndLosesNothing() throws Exception {
        Set<UUID> ids = appendOrders(40);

        assertThatThrownBy(() -> function.handleRequest(new RelayTrigger("scheduler", null, null, null, null, "short-3", null),
                new TestLambdaContext(Duration.ofSeconds(3))))
                .isInstanceOf(RelayTimeBudgetException.class)
                .hasMessageContaining("minimum time budget of 5000 ms");

        assertThat(errors()).singleElement().asString().contains("too little time").contains("scheduler:short-3");
        assertThat(pending(ids)).as("every row still pending").isEqualTo(40);

        // The next invocation with enough time publishes them: nothing was lost.
        function.handleRequest(new RelayTrigger("scheduler", null, null, null, null, "after", null),
                new TestLambdaContext(Duration.ofSeconds(25)));
        assertThat(pending(ids)).isZero();
        assertThat(consumedIds(ids)).containsAll(ids);
    }

    private List<String> errors() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Set<UUID> appendOrders(int n) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                new JdbcOutboxWriter().append(c, new OutboxMessage(id, "order", UUID.randomUUID().toString(),
                        "order.created", "/order-service/create-order-fn", "application/json", Instant.now(),
                        "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            c.commit();
        }
        return ids;
    }

    private static long pending(Set<UUID> ids) throws SQLException {
        try (var c = dataSource.getConnection();
                var s = c.prepareStatement("select count(*) from outbox_message where message_id = any(?)")) {
            s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Set<UUID> consumedIds(Set<UUID> expected) {
        var config = Map.<String, Object>of("bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName());
        var seen = new HashSet<UUID>();
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            var partitions = new ArrayList<TopicPartition>();
            consumer.partitionsFor(TOPIC).forEach(p -> partitions.add(new TopicPartition(TOPIC, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(UUID.fromString(
                        new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))));
            }
        }
        return seen;
    }
}
