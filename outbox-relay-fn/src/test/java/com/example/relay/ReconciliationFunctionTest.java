package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.example.servers.TestLambdaContext;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled reconciliation job against real PostgreSQL: each kind of drift injected, and the drift metrics read
 * back from the EMF JSON line the job prints (what CloudWatch would extract), by the names infra/checks holds the alarm
 * to.
 */
class ReconciliationFunctionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static ApplicationContext context;
    static ReconciliationFunction function;
    static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        var pg = SharedServers.postgres();
        context = ApplicationContext.builder().properties(Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password())).start();
        dataSource = context.getBean(DataSource.class);
        OutboxSchema.migrate(dataSource);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            // The columns reconciliation reads from order-core's orders table (db/order V1).
            s.execute("create table if not exists orders (id uuid primary key, created_at timestamptz not null)");
        }
        function = new ReconciliationFunction(context);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    @BeforeEach
    void clean() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published");
            s.execute("delete from orders");
        }
    }

    @Test
    void consistentDatabaseEmitsZeroDrift() throws Exception {
        insertOrder(UUID.randomUUID(), Instant.now(), true);
        publishAll();
        insertOrder(UUID.randomUUID(), Instant.now(), true); // pending, but young
        Run run = run("{\"source\":\"scheduler\",\"executionId\":\"e-1\"}");
        assertThat(run.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Drift", 0L, "OrdersWithoutCreatedEvent", 0L, "UnpublishedTooLong", 0L, "OrderEventsWithoutOrder", 0L,
                "CdcSlotProblems", 0L));
        assertThat(run.summary().drift()).isZero();
        assertThat(run.emf().path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText())
                .isEqualTo(ReconciliationMetrics.NAMESPACE).isEqualTo("OrderService/Reconciliation");
        assertThat(run.emf().path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").get(0).get(0).asText())
                .isEqualTo("Service");
        assertThat(run.emf().path("Service").asText()).isEqualTo("outbox-reconciliation");
        assertThat(run.emf().path("trigger").asText()).isEqualTo("scheduler:e-1");
    }

    @Test
    void orderWithoutItsEventIsCounted() throws Exception {
        insertOrder(UUID.randomUUID(), Instant.now(), true);
        insertOrder(UUID.randomUUID(), Instant.now().minusSeconds(30), false); // the lost event
        insertOrder(UUID.randomUUID(), Instant.now().minus(Duration.ofDays(30)), false); // beyond the window: proves nothing
        Run run = run("{}");
        assertThat(run.metrics()).containsEntry("OrdersWithoutCreatedEvent", 1L).containsEntry("Drift", 1L)
                .containsEntry("UnpublishedTooLong", 0L).containsEntry("OrderEventsWithoutOrder", 0L);
        assertThat(run.summary().ordersWithoutCreatedEvent()).isEqualTo(1);
    }

    @Test
    void rowPendingPastTheThresholdIsCounted() throws Exception {
        insertOrder(UUID.randomUUID(), Instant.now(), true);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set created_at = now() - interval '10 minutes'");
        }
        assertThat(run("{}").metrics()).containsEntry("UnpublishedTooLong", 1L).containsEntry("Drift", 1L)
                .containsEntry("OrdersWithoutCreatedEvent", 0L).containsEntry("OrderEventsWithoutOrder", 0L);
        // The threshold is the job's configuration (RECONCILIATION_PENDING_THRESHOLD), read at start-up.
        var lenientFunction = new ReconciliationFunction(ApplicationContext.builder().properties(Map.of(
                "datasources.default.url", SharedServers.postgres().jdbcUrl(),
                "datasources.default.username", SharedServers.postgres().username(),
                "datasources.default.password", SharedServers.postgres().password(),
                "RECONCILIATION_PENDING_THRESHOLD", "20m")).start());
        try {
            Run lenient = run(lenientFunction, "{\"source\":\"scheduler\"}");
            assertThat(lenient.metrics()).containsEntry("UnpublishedTooLong", 0L).containsEntry("Drift", 0L);
            assertThat(lenient.summary().pendingThreshold()).isEqualTo("PT20M");
        } finally {
            lenientFunction.close();
        }
    }

    @Test
    void orderEventsWhoseOrderIsMissingAreCountedPublishedOrPending() throws Exception {
        UUID phantomPublished = UUID.randomUUID();
        insertOrder(phantomPublished, Instant.now(), true);
        publishAll();
        UUID phantomPending = UUID.randomUUID();
        insertOrder(phantomPending, Instant.now(), true);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("delete from orders"); // the orders are gone, their events stay
        }
        appendEvent("not-a-uuid", Instant.now()); // an order event whose key is no order id at all
        Run run = run("{}");
        assertThat(run.metrics()).containsEntry("OrderEventsWithoutOrder", 3L).containsEntry("Drift", 3L)
                .containsEntry("OrdersWithoutCreatedEvent", 0L).containsEntry("UnpublishedTooLong", 0L);
    }

    @Test
    void everyKindAtOnceAddsUp() throws Exception {
        insertOrder(UUID.randomUUID(), Instant.now().minusSeconds(5), false);
        appendEvent(UUID.randomUUID().toString(), Instant.now());
        insertOrder(UUID.randomUUID(), Instant.now(), true);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set created_at = now() - interval '1 hour'"
                    + " where aggregate_id in (select id::text from orders)");
        }
        Run run = run("{}");
        assertThat(run.metrics()).containsEntry("OrdersWithoutCreatedEvent", 1L).containsEntry("UnpublishedTooLong", 1L)
                .containsEntry("OrderEventsWithoutOrder", 1L).containsEntry("Drift", 3L);
    }

    @Test
    void parametersInTheInputAreAFunctionErrorNotIgnored() {
        assertThatThrownBy(() -> function.execute(deserialize("{\"pendingThreshold\":\"PT20M\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RECONCILIATION_PENDING_THRESHOLD");
        assertThatThrownBy(() -> function.execute(deserialize("{\"source\":\"scheduler\",\"checkableWindow\":\"P6D\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RECONCILIATION_CHECKABLE_WINDOW");
    }

    @Test
    void runsWithTheConfiguredDefaults() throws Exception {
        var summary = run("{}").summary();
        assertThat(summary.pendingThreshold()).isEqualTo("PT5M");
        assertThat(summary.checkableWindow()).isEqualTo("PT144H");
    }

    record Run(ReconciliationSummary summary, JsonNode emf, Map<String, Long> metrics) {
    }

    /** Invokes the handler with the JSON the scheduler would send; captures stdout, where the EMF line goes. */
    private static Run run(String inputJson) throws Exception {
        return run(function, inputJson);
    }

    private static Run run(ReconciliationFunction function, String inputJson) throws Exception {
        ReconciliationTrigger trigger = deserialize(inputJson);
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        ReconciliationSummary summary;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            summary = function.handleRequest(trigger, new TestLambdaContext(Duration.ofMinutes(1)));
        } finally {
            System.setOut(original);
        }
        JsonNode emf = null;
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                assertThat(emf).as("one EMF line per run").isNull();
                emf = JSON.readTree(line);
            }
        }
        assertThat(emf).as("EMF line in " + captured).isNotNull();
        Map<String, Long> metrics = new HashMap<>();
        for (JsonNode m : emf.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")) {
            metrics.put(m.path("Name").asText(), emf.path(m.path("Name").asText()).asLong());
        }
        return new Run(summary, emf, metrics);
    }

    private static ReconciliationTrigger deserialize(String json) {
        CustomPojoSerializer serializer = ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();
        return serializer.fromJson(json, ReconciliationTrigger.class);
    }

    private static void publishAll() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            // what the relay does on the broker's ack: the row moves to the published log
            s.executeUpdate("""
                    with p as (delete from outbox_message
                               returning id, message_id, aggregate_type, aggregate_id, event_type, created_at)
                    insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at)
                    select * from p""");
        }
    }

    private static void appendEvent(String aggregateId, Instant at) throws Exception {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, OutboxMessage.json(UUID.randomUUID(), "order", aggregateId,
                    "order.created", "/tests", at, "{}".getBytes(StandardCharsets.UTF_8)));
            c.commit();
        }
    }

    private static void insertOrder(UUID orderId, Instant createdAt, boolean withEvent) throws Exception {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.prepareStatement("insert into orders (id, created_at) values (?, ?)")) {
                s.setObject(1, orderId);
                s.setTimestamp(2, Timestamp.from(createdAt));
                s.executeUpdate();
            }
            if (withEvent) {
                new JdbcOutboxWriter().append(c, OutboxMessage.json(UUID.randomUUID(), "order", orderId.toString(),
                        "order.created", "/tests", createdAt, "{}".getBytes(StandardCharsets.UTF_8)));
            }
            c.commit();
        }
    }
}
