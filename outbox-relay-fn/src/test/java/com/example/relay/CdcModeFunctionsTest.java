package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.relay.admin.Reconciliation;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay jar's handlers with {@code CDC_SLOT} set, as Terraform deploys them in {@code relay_mode = "msk_connect"}
 * (ADR 0082), against real PostgreSQL with a real logical replication slot (this module's test PostgreSQL runs with
 * {@code wal_level=logical}). No connector runs here: the test moves the slot with {@code pg_replication_slot_advance},
 * which is what a connector's offset commit does to {@code confirmed_flush_lsn}; cdc-relay's CdcOutboxRetentionTest
 * runs the same retention against the Debezium connector itself.
 */
class CdcModeFunctionsTest {

    private String slot;
    private DataSource dataSource;
    private ApplicationContext context;

    @BeforeEach
    void start() throws Exception {
        slot = "cdc_fn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        context = context(Map.of("CDC_SLOT", slot, "CDC_RETENTION_BUDGET", "500ms", "RELAY_RETENTION_BATCH_SIZE", "7"));
        dataSource = context.getBean(DataSource.class);
        OutboxSchema.migrate(dataSource);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists orders (id uuid primary key, created_at timestamptz not null)");
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published"); // other classes' published events of orders deleted here
            s.execute("delete from orders");
        }
    }

    @AfterEach
    void stop() throws Exception {
        // Closing a handler closes its context (and the pool): clean up through a connection of our own.
        var pg = SharedServers.postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var s = c.createStatement()) {
            // A replication connection just closed may keep the slot active for a moment.
            for (int i = 0; i < 50; i++) {
                try (var rs = s.executeQuery("select active from pg_replication_slots where slot_name = '" + slot + "'")) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                    + slot + "'");
            s.execute("drop publication if exists " + slot);
            s.execute("delete from outbox_message");
            s.execute("delete from orders");
        }
        if (context.isRunning()) {
            context.close();
        }
    }

    static ApplicationContext context(Map<String, Object> settings) {
        var pg = SharedServers.postgres();
        var properties = new HashMap<String, Object>(Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password()));
        properties.putAll(settings);
        return ApplicationContext.builder().properties(properties).start();
    }

    @Test
    void retentionDeletesOnlyOldRowsOnceTheSlotHasConfirmedThem() throws Exception {
        for (int i = 0; i < 20; i++) {
            append(UUID.randomUUID().toString());
        }
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set created_at = now() - interval '8 days'");
        }
        for (int i = 0; i < 5; i++) {
            append(UUID.randomUUID().toString()); // younger than the 7-day retention age
        }
        try (var function = new CdcRetentionFunction(context)) {
            assertThat(function.execute(scheduled()).deleted()).as("no slot yet: nothing is known published").isZero();

            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("select pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
                // Other tables keep writing WAL (orders, inbox): the slot's creation point is soon behind.
                s.execute("insert into orders (id, created_at) values (gen_random_uuid(), now())");
            }
            assertThat(function.execute(scheduled()).deleted())
                    .as("the slot has not confirmed the rows (connector down or behind): nothing deleted").isZero();
            assertThat(rows()).isEqualTo(25);

            // A connector that keeps up: the slot's confirmed position follows the WAL while the job waits.
            var run = CompletableFuture.supplyAsync(() -> function.execute(scheduled()));
            while (!run.isDone()) {
                try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                    s.execute("select pg_replication_slot_advance('" + slot + "', pg_current_wal_lsn())");
                }
                Thread.sleep(20);
            }
            CdcRetentionSummary summary = run.get();
            assertThat(summary.deleted()).as("the old rows, in batches of 7").isEqualTo(20);
            assertThat(summary.slot()).isEqualTo(slot);
            assertThat(summary.retentionAge()).isEqualTo("PT168H");
            assertThat(summary.trigger()).isEqualTo("scheduler:e-1");
            assertThat(rows()).as("young rows stay").isEqualTo(5);
        }
    }

    @Test
    void reconciliationChecksTheSlotInsteadOfRowAge() throws Exception {
        UUID order = UUID.randomUUID();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("insert into orders (id, created_at) values ('" + order + "', now())");
        }
        append(order.toString());
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            // Published long ago by the connector, still in outbox_message until retention: no finding in CDC mode.
            s.executeUpdate("update outbox_message set created_at = now() - interval '1 hour'");
        }
        try (var function = new ReconciliationFunction(context)) {
            ReconciliationSummary missing = reconcile(function);
            assertThat(missing.cdcSlot()).isEqualTo(slot);
            assertThat(missing.unpublishedTooLong()).isZero();
            assertThat(missing.cdcSlotProblems()).as("CDC_SLOT_MISSING").isEqualTo(1);
            assertThat(missing.drift()).isEqualTo(1);

            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("select pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
                s.execute("create publication " + slot + " for table outbox_cdc_heartbeat");
            }
            // A connector restarting its task: the slot is unread for a few seconds, then read again. No drift.
            var restarted = CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(2_000);
                    return readSlot(slot);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            ReconciliationSummary restarting = reconcile(function);
            try (var reader = restarted.get()) {
                assertThat(restarting.cdcSlotProblems()).as("inactive for 2 s of the 20 s grace").isZero();
                assertThat(restarting.drift()).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
                        Reconciliation.DEFAULT_SLOT_GRACE);
            }
            // Unread for longer than the grace: CDC_SLOT_INACTIVE (shown with a short grace by OutboxAdminReconcileCdcTest).
        }
        try (var polling = context(Map.of()); var function = new ReconciliationFunction(polling)) {
            ReconciliationSummary summary = reconcile(function);
            assertThat(summary.cdcSlot()).isNull();
            assertThat(summary.unpublishedTooLong()).as("polling mode: an hour-old row is drift").isEqualTo(1);
            assertThat(summary.cdcSlotProblems()).isZero();
        }
    }

    @Test
    void thePollingRelayRefusesToRunAndRetentionNeedsASlot() {
        // A topic nobody created: with CDC_SLOT set the relay builds no producer and checks no topic, it refuses.
        try (var relay = new OutboxRelayFunction(context(Map.of("CDC_SLOT", slot,
                "KAFKA_BOOTSTRAP_SERVERS", SharedServers.kafka().bootstrapServers(),
                "TOPIC_ORDER_CREATED", "cdc-fn-never-created-" + UUID.randomUUID())))) {
            assertThatThrownBy(() -> relay.execute(scheduled())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CDC_SLOT=" + slot).hasMessageContaining("does not run");
        }
        try (var polling = context(Map.of()); var retention = new CdcRetentionFunction(polling)) {
            assertThatThrownBy(() -> retention.execute(scheduled())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CDC_SLOT");
        }
    }

    /** Reads the slot over a logical replication connection, as a connector does; closing it leaves the slot unread. */
    private static java.sql.Connection readSlot(String slot) throws Exception {
        var pg = SharedServers.postgres();
        var props = new java.util.Properties();
        org.postgresql.PGProperty.USER.set(props, pg.username());
        org.postgresql.PGProperty.PASSWORD.set(props, pg.password());
        org.postgresql.PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        org.postgresql.PGProperty.REPLICATION.set(props, "database");
        org.postgresql.PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        var connection = java.sql.DriverManager.getConnection(pg.jdbcUrl(), props);
        connection.unwrap(org.postgresql.PGConnection.class).getReplicationAPI().replicationStream().logical()
                .withSlotName(slot).withSlotOption("proto_version", 1).withSlotOption("publication_names", slot)
                .start();
        return connection;
    }

    private static RelayTrigger scheduled() {
        CustomPojoSerializer serializer = ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();
        return serializer.fromJson("{\"source\":\"scheduler\",\"executionId\":\"e-1\"}", RelayTrigger.class);
    }

    private static ReconciliationSummary reconcile(ReconciliationFunction function) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)); // the EMF line
        try {
            return function.handleRequest(new ReconciliationTrigger(null, null, null, null, null),
                    new TestLambdaContext(Duration.ofMinutes(1)));
        } finally {
            System.setOut(original);
        }
    }

    private void append(String aggregateId) throws Exception {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, OutboxMessage.json(UUID.randomUUID(), "order", aggregateId,
                    "order.created", "/tests", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8)));
            c.commit();
        }
    }

    private long rows() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from outbox_message")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
