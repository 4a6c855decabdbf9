package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.relay.admin.OutboxAdminAccess;
import com.example.servers.SharedServers;
import java.io.ByteArrayOutputStream;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import com.example.relay.admin.OutboxAdminCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.IntFunction;
import picocli.CommandLine;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class OutboxAdminReconcileTest {

    static PGSimpleDataSource dataSource;

    @BeforeAll
    static void schema() throws Exception {
        var pg = SharedServers.postgres();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(pg.jdbcUrl());
        dataSource.setUser(pg.username());
        dataSource.setPassword(pg.password());
        OutboxSchema.migrate(dataSource);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            // The columns reconciliation reads from order-core's orders table (db/order V1).
            s.execute("create table if not exists orders (id uuid primary key, created_at timestamptz not null)");
        }
    }

    @Test
    void reconcileFindsOrdersWithoutCreatedEventAndRowsPendingTooLongAndExitsNonZero() throws Exception {
        clean();
        var good = UUID.randomUUID();
        insertOrderWithEvent(good, Instant.now(), true);
        assertThat(reconcile().exit).as("consistent").isZero();
        var published = UUID.randomUUID();
        insertOrderWithEvent(published, Instant.now(), true);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            // what the relay does on the broker's ack: the row moves to the published log
            s.executeUpdate("""
                    with p as (delete from outbox_message where aggregate_id = '%s'
                               returning id, message_id, aggregate_type, aggregate_id, event_type, created_at)
                    insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at)
                    select * from p""".formatted(published));
        }
        assertThat(reconcile().exit).as("a published order.created counts too").isZero();

        var lost = UUID.randomUUID();
        insertOrderWithEvent(lost, Instant.now().minusSeconds(30), false);
        var veryOld = UUID.randomUUID();
        insertOrderWithEvent(veryOld, Instant.now().minus(Duration.ofDays(30)), false);
        var result = reconcile();
        assertThat(result.exit).isEqualTo(1);
        assertThat(result.output).contains("ORDER_WITHOUT_CREATED_EVENT order=" + lost)
                .as("beyond the retention window a missing row proves nothing").doesNotContain(veryOld.toString());

        clean();
        insertOrderWithEvent(good, Instant.now(), true);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update outbox_message set created_at = now() - interval '10 minutes'");
        }
        result = reconcile();
        assertThat(result.exit).isEqualTo(1);
        assertThat(result.output).contains("UNPUBLISHED_TOO_LONG").contains("aggregate=" + good);
    }

    /**
     * The command line, through the relay's own Micronaut context: the database comes from DB_URL, DB_USERNAME and
     * DB_PASSWORD exactly as for the function, and exit codes say drift (1) and usage errors (2).
     */
    @Test
    void commandLineReadsTheFunctionsDatabaseSettingsAndAnswersWithExitCodes() throws Exception {
        clean();
        var pg = SharedServers.postgres();
        try (var context = ApplicationContext.builder(Environment.CLI)
                .properties(Map.of("DB_URL", pg.jdbcUrl(), "DB_USERNAME", pg.username(), "DB_PASSWORD", pg.password()))
                .start()) {
            IntFunction<CommandLine> cli = ignored -> new CommandLine(OutboxAdminCommand.class, new MicronautFactory(context))
                    .setErr(new PrintWriter(new StringWriter()));
            assertThat(cli.apply(0).execute("reconcile")).as("consistent").isZero();
            insertOrderWithEvent(UUID.randomUUID(), Instant.now().minusSeconds(30), false);
            assertThat(cli.apply(0).execute("reconcile", "PT5M", "P6D")).as("drift").isEqualTo(1);
            assertThat(cli.apply(0).execute("stats")).isZero();
            assertThat(cli.apply(0).execute("requeue", "all")).isZero();
            assertThat(cli.apply(0).execute("requeue", "x")).isEqualTo(2);
            assertThat(cli.apply(0).execute("reconcile", "five minutes")).isEqualTo(2);
            assertThat(cli.apply(0).execute()).as("no command").isEqualTo(2);
            var help = new StringWriter();
            assertThat(cli.apply(0).setOut(new PrintWriter(help)).execute("--help")).isZero();
            assertThat(help.toString()).contains("stats").contains("parked").contains("requeue").contains("reconcile");
        }
        clean();
    }

    record Result(int exit, String output) {
    }

    private Result reconcile() throws Exception {
        var out = new ByteArrayOutputStream();
        int exit = OutboxAdminAccess.reconcile(dataSource, new PrintStream(out, true, StandardCharsets.UTF_8),
                Duration.ofMinutes(5), Duration.ofDays(6));
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }

    private static void clean() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published");
            s.execute("delete from orders");
        }
    }

    private static void insertOrderWithEvent(UUID orderId, Instant createdAt, boolean withEvent) throws Exception {
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
