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
        var pg = SharedServers.postgres();
        var ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        ds.setUser(pg.username());
        ds.setPassword(pg.password());
        OutboxSchema.migrate(ds);
        String slot = "reconcile_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
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
}
