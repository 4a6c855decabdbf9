package com.example.relay.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The drift check between the orders and the outbox: the one place that knows both (the outbox library knows nothing
 * about orders). Run by the operator command {@code reconcile} ({@link OutboxAdmin}) and by the scheduled job
 * ({@code com.example.relay.ReconciliationFunction}), so both report exactly the same findings.
 *
 * <p>Three kinds of drift, each a query in {@code src/main/resources/reconcile/}:
 * <ul>
 *   <li>{@link Kind#ORDER_WITHOUT_CREATED_EVENT}: an order inside the checkable window with no {@code order.created}
 *       row, pending or published (a lost event);</li>
 *   <li>{@link Kind#UNPUBLISHED_TOO_LONG}: an outbox row still unpublished (pending, backing off or parked) after the
 *       pending threshold;</li>
 *   <li>{@link Kind#ORDER_EVENT_WITHOUT_ORDER}: an {@code order.created} row, pending or published inside the window,
 *       whose order does not exist (a phantom event).</li>
 * </ul>
 * In CDC mode (ADR 0080, {@code cdcSlot} given) rows stay in the outbox after publication, so
 * {@link Kind#UNPUBLISHED_TOO_LONG} means nothing there; instead the connector's replication slot must exist
 * ({@link Kind#CDC_SLOT_MISSING}) and be read ({@link Kind#CDC_SLOT_INACTIVE}), query {@code cdc-slot.sql}.
 *
 * <p>Each query returns at most {@value #LIMIT_PER_KIND} findings per run; a count of {@value #LIMIT_PER_KIND} means
 * "at least".
 */
public final class Reconciliation {

    /** Findings listed (and counted) per kind and run. */
    public static final int LIMIT_PER_KIND = 100;
    /** How long a row may stay unpublished, unless the caller says otherwise. */
    public static final Duration DEFAULT_PENDING_THRESHOLD = Duration.ofMinutes(5);
    /**
     * How far back orders and events are checked unless configured ({@code reconciliation.checkable-window}); below the
     * relay's retention age (7 days) as deployed, see {@link #windowBeyondRetention}.
     */
    public static final Duration DEFAULT_CHECKABLE_WINDOW = Duration.ofDays(6);
    /**
     * How long a CDC slot may stay unread before it counts as {@link Kind#CDC_SLOT_INACTIVE}: a connector that
     * restarts its task (Debezium's retry delay is at most 10 s by default) leaves the slot inactive for seconds, which
     * is no drift (the CDC chaos demo once sampled an unread slot after its broker outage; ADR 0082).
     */
    public static final Duration DEFAULT_SLOT_GRACE = Duration.ofSeconds(20);

    /**
     * The rule between the checkable window and the retention age of what reconciliation reads: the window must be
     * positive and shorter than the age. Retention deletes published-log entries ({@code outbox_published}; with the CDC
     * relay, captured {@code outbox_message} rows) older than the age, so an order older than that has no row to find
     * and would be reported as {@link Kind#ORDER_WITHOUT_CREATED_EVENT} although its event was published, and a phantom
     * event older than that could no longer be seen.
     *
     * @param windowSetting the window's name for the message, e.g. its configuration key and environment variable
     * @param ageSetting    the same for the retention age
     * @return the broken rule as one sentence naming both settings, or empty when the window is valid
     */
    public static java.util.Optional<String> windowBeyondRetention(Duration checkableWindow, String windowSetting,
            Duration retentionAge, String ageSetting) {
        if (checkableWindow.isNegative() || checkableWindow.isZero()) {
            return java.util.Optional.of(windowSetting + " must be above zero, was " + checkableWindow);
        }
        if (checkableWindow.compareTo(retentionAge) >= 0) {
            return java.util.Optional.of(windowSetting + " = " + checkableWindow + " must be shorter than " + ageSetting
                    + " = " + retentionAge + ": published events older than the retention age are deleted from the"
                    + " published log, so reconciliation would report their orders as ORDER_WITHOUT_CREATED_EVENT"
                    + " (lower the window or raise the retention age)");
        }
        return java.util.Optional.empty();
    }

    /** What drifted. The names are the ones the command prints and the job's metrics and logs use. */
    public enum Kind {
        ORDER_WITHOUT_CREATED_EVENT,
        UNPUBLISHED_TOO_LONG,
        ORDER_EVENT_WITHOUT_ORDER,
        /** CDC mode: the connector's replication slot does not exist (no connector can read the outbox's WAL). */
        CDC_SLOT_MISSING,
        /** CDC mode: the slot exists but no connector reads it (down or restarting). */
        CDC_SLOT_INACTIVE
    }

    /** One finding: its kind and a one-line description ({@code key=value} pairs) for operators. */
    public record Finding(Kind kind, String description) {
        @Override
        public String toString() {
            return kind + " " + description;
        }
    }

    /** All findings of one run, with the parameters it ran with. */
    public record Report(Duration pendingThreshold, Duration checkableWindow, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        public long count(Kind kind) {
            return findings.stream().filter(f -> f.kind() == kind).count();
        }

        public boolean drifted() {
            return !findings.isEmpty();
        }
    }

    private final DataSource dataSource;
    private final Duration slotGrace;

    public Reconciliation(DataSource dataSource) {
        this(dataSource, DEFAULT_SLOT_GRACE);
    }

    /** @param slotGrace how long an inactive CDC slot is watched for a reader before it is a finding */
    public Reconciliation(DataSource dataSource, Duration slotGrace) {
        this.dataSource = dataSource;
        this.slotGrace = slotGrace;
    }

    /**
     * Runs the three queries in one read-only transaction (one snapshot).
     *
     * @param pendingThreshold how long a row may stay unpublished before it counts as drift
     * @param checkableWindow  how far back orders and order events are checked; keep it below the relay's retention
     *                         age, beyond which a missing published row proves nothing
     * @throws SQLException when the database cannot be read (no findings are invented then)
     */
    public Report run(Duration pendingThreshold, Duration checkableWindow) throws SQLException {
        return run(pendingThreshold, checkableWindow, null);
    }

    /**
     * As {@link #run(Duration, Duration)}; with {@code cdcSlot} (CDC mode, ADR 0080) the slot check replaces
     * "rows pending too long".
     *
     * @param cdcSlot the connector's {@code slot.name}, or {@code null} in polling mode
     */
    public Report run(Duration pendingThreshold, Duration checkableWindow, String cdcSlot) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                try (var s = c.prepareStatement(sql("orders-without-created-event.sql"))) {
                    s.setLong(1, checkableWindow.toMillis());
                    collect(s, findings, rs -> new Finding(Kind.ORDER_WITHOUT_CREATED_EVENT,
                            "order=" + rs.getString(1) + " createdAt=" + rs.getTimestamp(2).toInstant()));
                }
                if (cdcSlot != null) {
                    cdcSlotFinding(c, cdcSlot, slotGrace).ifPresent(findings::add);
                } else try (var s = c.prepareStatement(sql("rows-pending-too-long.sql"))) {
                    s.setLong(1, pendingThreshold.toMillis());
                    collect(s, findings, rs -> new Finding(Kind.UNPUBLISHED_TOO_LONG,
                            "id=%d aggregate=%s type=%s status=%s attempts=%d createdAt=%s error=%s".formatted(
                                    rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                                    rs.getTimestamp(6).toInstant(), rs.getString(7))));
                }
                try (var s = c.prepareStatement(sql("order-events-without-order.sql"))) {
                    s.setLong(1, checkableWindow.toMillis());
                    s.setLong(2, checkableWindow.toMillis());
                    collect(s, findings, rs -> new Finding(Kind.ORDER_EVENT_WITHOUT_ORDER,
                            "%s id=%d order=%s createdAt=%s".formatted(rs.getString(1), rs.getLong(2), rs.getString(3),
                                    rs.getTimestamp(4).toInstant())));
                }
            } finally {
                c.rollback();
            }
        }
        return new Report(pendingThreshold, checkableWindow, findings);
    }

    /**
     * The slot's state; an inactive slot is looked at again every second for up to {@code grace} (pg_replication_slots
     * shows live state, not the transaction's snapshot).
     */
    private static java.util.Optional<Finding> cdcSlotFinding(Connection c, String slot, Duration grace)
            throws SQLException {
        long deadline = System.nanoTime() + grace.toNanos();
        try (var s = c.prepareStatement(sql("cdc-slot.sql"))) {
            s.setString(1, slot);
            while (true) {
                try (var rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return java.util.Optional.of(new Finding(Kind.CDC_SLOT_MISSING,
                                "slot=" + slot + " (no connector can read the outbox's WAL)"));
                    }
                    if (rs.getBoolean(1)) {
                        return java.util.Optional.empty();
                    }
                    if (System.nanoTime() >= deadline) {
                        return java.util.Optional.of(new Finding(Kind.CDC_SLOT_INACTIVE, "slot=%s behindBytes=%d"
                                .formatted(slot, rs.getLong(2)) + " (no connector has read it for " + grace
                                + ": down or failing)"));
                    }
                }
                try {
                    Thread.sleep(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while watching slot " + slot, e);
                }
            }
        }
    }

    private interface Row {
        Finding read(ResultSet rs) throws SQLException;
    }

    private static void collect(PreparedStatement s, List<Finding> into, Row row) throws SQLException {
        try (var rs = s.executeQuery()) {
            while (rs.next()) {
                into.add(row.read(rs));
            }
        }
    }

    private static String sql(String name) {
        try (var in = Reconciliation.class.getResourceAsStream("/reconcile/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /reconcile/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
