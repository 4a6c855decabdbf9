package com.example.relay.admin;

import com.example.outbox.ParkedEvent;
import com.example.outbox.jdbc.JdbcOutboxStats;
import com.example.outbox.jdbc.JdbcParkedEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The outbox's operator commands on a {@link DataSource}: backlog stats, parked rows, requeue, reconciliation. The
 * command line around them is {@link OutboxAdminCommand}.
 */
public final class OutboxAdmin {

    private final DataSource dataSource;
    private final PrintStream out;

    OutboxAdmin(DataSource dataSource, PrintStream out) {
        this.dataSource = dataSource;
        this.out = out;
    }

    /** Prints {@code pending=… parked=… relayLagMillis=…}. */
    int stats() throws SQLException {
        var s = new JdbcOutboxStats(dataSource).snapshot();
        out.printf("pending=%d parked=%d relayLagMillis=%d%n", s.pending(), s.parked(), s.oldestPendingAge().toMillis());
        return 0;
    }

    /** Prints up to {@code limit} parked rows, oldest first. */
    int parked(int limit) throws SQLException {
        for (ParkedEvent p : new JdbcParkedEvents(dataSource).list(limit)) {
            out.printf("%d\t%s\t%s\t%s\tattempts=%d\t%s%n", p.id(), p.createdAt(), p.aggregateId(), p.eventType(),
                    p.attempts(), p.lastError());
        }
        return 0;
    }

    /** Makes one parked row ({@code id}) or all of them pending again, attempts reset. */
    int requeue(OptionalLong id) throws SQLException {
        var parked = new JdbcParkedEvents(dataSource);
        int n = id.isPresent() ? parked.requeue(id.getAsLong()) : parked.requeueAll();
        out.printf("requeued %d%n", n);
        return 0;
    }

    /** @return 1 if any drift was found, else 0 */
    int reconcile(Duration pendingThreshold, Duration checkableWindow) throws SQLException {
        return reconcile(pendingThreshold, checkableWindow, null);
    }

    /**
     * With {@code cdcSlot} (CDC mode, ADR 0080): the same order check, and instead of "rows pending too long" (rows
     * stay in the outbox after publication there) the connector's replication slot must exist and be read.
     *
     * @return 1 if any drift was found, else 0
     */
    int reconcile(Duration pendingThreshold, Duration checkableWindow, String cdcSlot) throws SQLException {
        int drift = 0;
        try (Connection c = dataSource.getConnection()) {
            try (var s = c.prepareStatement(sql("orders-without-created-event.sql"))) {
                s.setLong(1, checkableWindow.toMillis());
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        drift++;
                        out.printf("ORDER_WITHOUT_CREATED_EVENT order=%s createdAt=%s%n", rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
            }
            if (cdcSlot != null) {
                drift += cdcSlotFindings(c, cdcSlot);
            } else try (var s = c.prepareStatement(sql("rows-pending-too-long.sql"))) {
                s.setLong(1, pendingThreshold.toMillis());
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        drift++;
                        out.printf("UNPUBLISHED_TOO_LONG id=%d aggregate=%s type=%s status=%s attempts=%d createdAt=%s error=%s%n",
                                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                                rs.getTimestamp(6).toInstant(), rs.getString(7));
                    }
                }
            }
        }
        out.printf("reconcile: %s (%d finding(s); pending threshold %s, orders checked back %s)%n",
                drift == 0 ? "OK" : "DRIFT", drift, pendingThreshold, checkableWindow);
        return drift == 0 ? 0 : 1;
    }

    private int cdcSlotFindings(Connection c, String slot) throws SQLException {
        try (var s = c.prepareStatement(sql("cdc-slot.sql"))) {
            s.setString(1, slot);
            try (var rs = s.executeQuery()) {
                if (!rs.next()) {
                    out.printf("CDC_SLOT_MISSING slot=%s (no connector can read the outbox's WAL)%n", slot);
                    return 1;
                }
                boolean active = rs.getBoolean(1);
                long behind = rs.getLong(2);
                if (!active) {
                    out.printf("CDC_SLOT_INACTIVE slot=%s behindBytes=%d (no connector reads it: down or restarting)%n",
                            slot, behind);
                    return 1;
                }
                out.printf("cdc slot=%s active behindBytes=%d%n", slot, behind);
                return 0;
            }
        }
    }

    private static String sql(String name) {
        try (var in = OutboxAdmin.class.getResourceAsStream("/reconcile/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /reconcile/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
