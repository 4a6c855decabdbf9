package com.example.relay.admin;

import com.example.outbox.ParkedEvent;
import com.example.outbox.jdbc.JdbcOutboxStats;
import com.example.outbox.jdbc.JdbcParkedEvents;
import java.io.PrintStream;
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

    /** Prints each finding of {@link Reconciliation} on a line of its own, then a verdict; @return 1 on drift, else 0 */
    int reconcile(Duration pendingThreshold, Duration checkableWindow) throws SQLException {
        return reconcile(pendingThreshold, checkableWindow, null);
    }

    /**
     * With {@code cdcSlot} (CDC mode, ADR 0080): the connector's replication slot must exist and be read, instead of
     * "rows pending too long" (rows stay in the outbox after publication there).
     *
     * @return 1 if any drift was found, else 0
     */
    int reconcile(Duration pendingThreshold, Duration checkableWindow, String cdcSlot) throws SQLException {
        return reconcile(pendingThreshold, checkableWindow, cdcSlot, Reconciliation.DEFAULT_SLOT_GRACE);
    }

    int reconcile(Duration pendingThreshold, Duration checkableWindow, String cdcSlot, Duration slotGrace)
            throws SQLException {
        var report = new Reconciliation(dataSource, slotGrace).run(pendingThreshold, checkableWindow, cdcSlot);
        report.findings().forEach(out::println);
        int drift = report.findings().size();
        out.printf("reconcile: %s (%d finding(s); pending threshold %s, orders checked back %s)%n",
                drift == 0 ? "OK" : "DRIFT", drift, pendingThreshold, checkableWindow);
        return drift == 0 ? 0 : 1;
    }

}
