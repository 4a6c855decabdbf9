package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.relay.admin.OutboxAdminAccess;
import com.example.servers.SharedServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code reconcile --cdc-slot}: in CDC mode rows stay in the outbox after publication, so old rows are no finding;
 * a missing slot, or one nobody reads, is. (A physical slot stands in for the connector's logical one: this module's
 * test PostgreSQL runs with {@code wal_level=replica}; the check reads only name and activity.)
 */
class OutboxAdminReconcileCdcTest {

    @Test
    void cdcModeChecksTheSlotInsteadOfRowAge() throws Exception {
        var ds = outboxWithAnHourOldUnpublishedRow();
        String slot = "reconcile_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        var out = new ByteArrayOutputStream();
        int polling = OutboxAdminAccess.reconcile(ds, new PrintStream(out, true, StandardCharsets.UTF_8),
                Duration.ofMinutes(5), Duration.ofDays(6));
        assertThat(polling).as("polling mode: an hour-old row is unpublished too long").isEqualTo(1);

        out.reset();
        int missing = OutboxAdminAccess.reconcileCdc(ds, new PrintStream(out, true, StandardCharsets.UTF_8),
                Duration.ofMinutes(5), Duration.ofDays(6), slot);
        assertThat(missing).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("CDC_SLOT_MISSING slot=" + slot)
                .doesNotContain("UNPUBLISHED_TOO_LONG");

        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("select pg_create_physical_replication_slot('" + slot + "')");
        }
        try {
            out.reset();
            int inactive = OutboxAdminAccess.reconcileCdc(ds, new PrintStream(out, true, StandardCharsets.UTF_8),
                    Duration.ofMinutes(5), Duration.ofDays(6), slot);
            assertThat(inactive).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("CDC_SLOT_INACTIVE slot=" + slot)
                    .doesNotContain("UNPUBLISHED_TOO_LONG").doesNotContain("ORDER_WITHOUT_CREATED_EVENT");
        } finally {
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                s.execute("select pg_drop_replication_slot('" + slot + "')");
                s.execute("delete from outbox_message");
                s.execute("delete from orders");
            }
        }
    }

    /**
     * {@code reconcile} with no {@code --cdc-slot} reads {@code CDC_SLOT}, as the scheduled job does, so in CDC mode it
     * reports the slot, not every row the connector published. Run as its own process: only a child gets another
     * environment.
     */
    @Test
    void theSlotDefaultsToTheCdcSlotEnvironmentVariable() throws Exception {
        var ds = outboxWithAnHourOldUnpublishedRow();
        String slot = "reconcile_env_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try {
            Run cdc = command(slot, "reconcile");
            assertThat(cdc.exit()).as(cdc.output()).isEqualTo(1);
            assertThat(cdc.output()).contains("CDC_SLOT_MISSING slot=" + slot).doesNotContain("UNPUBLISHED_TOO_LONG");

            Run overridden = command(slot, "reconcile", "--cdc-slot=");
            assertThat(overridden.exit()).as(overridden.output()).isEqualTo(1);
            assertThat(overridden.output()).as("an empty --cdc-slot checks as for the polling relay")
                    .contains("UNPUBLISHED_TOO_LONG").doesNotContain("CDC_SLOT_MISSING");

            Run polling = command(null, "reconcile");
            assertThat(polling.output()).contains("UNPUBLISHED_TOO_LONG").doesNotContain("CDC_SLOT_MISSING");

            Run help = command(slot, "reconcile", "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.output()).contains("CDC_SLOT environment variable").contains("(now: " + slot + ")");
        } finally {
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                s.execute("delete from outbox_message");
                s.execute("delete from orders");
            }
        }
    }

    private record Run(int exit, String output) {
    }

    /** {@code java -cp <this class path> OutboxAdminCommand args} with the test database and, if given, CDC_SLOT. */
    private static Run command(String cdcSlot, String... args) throws Exception {
        var pg = SharedServers.postgres();
        var command = new java.util.ArrayList<String>(java.util.List.of(
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "com.example.relay.admin.OutboxAdminCommand"));
        command.addAll(java.util.List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("CDC_SLOT");
        builder.environment().putAll(java.util.Map.of("DB_URL", pg.jdbcUrl(), "DB_USERNAME", pg.username(),
                "DB_PASSWORD", pg.password()));
        if (cdcSlot != null) {
            builder.environment().put("CDC_SLOT", cdcSlot);
        }
        var process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("reconcile did not finish: " + output);
        }
        return new Run(process.exitValue(), output);
    }

    /** The shared PostgreSQL with an empty outbox and orders table, then one order whose event was written an hour ago. */
    private static PGSimpleDataSource outboxWithAnHourOldUnpublishedRow() throws Exception {
        var pg = SharedServers.postgres();
        var ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        ds.setUser(pg.username());
        ds.setPassword(pg.password());
        OutboxSchema.migrate(ds);
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists orders (id uuid primary key, created_at timestamptz not null)");
            s.execute("delete from outbox_message");
            s.execute("delete from orders");
            var order = UUID.randomUUID();
            s.execute("insert into orders (id, created_at) values ('" + order + "', now())");
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, OutboxMessage.json(UUID.randomUUID(), "order", order.toString(),
                    "order.created", "/test", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8)));
            c.commit();
            c.setAutoCommit(true);
            s.execute("update outbox_message set created_at = now() - interval '1 hour'");
        }
        return ds;
    }

}
