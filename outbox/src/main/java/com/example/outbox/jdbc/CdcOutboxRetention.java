package com.example.outbox.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of the outbox in CDC mode, where nobody marks rows: deletes {@code outbox_message} rows older than an age,
 * but only rows the connector has provably read, judged by its replication slot.
 *
 * <p>Each batch: in one REPEATABLE READ transaction, the ids of up to {@code batchSize} rows older than the age, then
 * {@code pg_current_wal_insert_lsn()}. Every row that snapshot sees was committed before that WAL position, so once the
 * slot's {@code confirmed_flush_lsn} (what the connector has acknowledged as processed: published to Kafka and its
 * offset committed) reaches it, those rows are on the topic and may go. The batch waits for that within the time
 * budget and deletes nothing if the slot does not get there (connector down or behind, slot missing). The deletes
 * themselves reach the connector as change events, which the outbox router drops.
 *
 * <p>The slot confirms only as far as the connector has read events, and commits only every
 * {@code offset.flush.interval.ms}: give the budget at least that much plus the connector's heartbeat interval (its
 * heartbeat table is what the connector reads while the outbox is quiet; without heartbeats nothing moves the slot
 * then and nothing is deleted; ADR 0080, 0082). Deployed as {@code CdcRetentionFunction} in the relay's jar.
 */
public final class CdcOutboxRetention {

    private static final Logger log = LoggerFactory.getLogger(CdcOutboxRetention.class);

    private final DataSource dataSource;
    private final String slotName;

    /**
     * @param dataSource the outbox's database
     * @param slotName   the connector's replication slot ({@code slot.name})
     */
    public CdcOutboxRetention(DataSource dataSource, String slotName) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.slotName = Objects.requireNonNull(slotName);
    }

    /**
     * Deletes captured rows created more than {@code age} ago, at most {@code batchSize} per batch, starting no batch
     * once {@code budget} is used up (at least one batch is tried).
     *
     * @return rows deleted
     * @throws SQLException if the database fails
     */
    public int deleteCapturedOlderThan(Duration age, int batchSize, Duration budget) throws SQLException,
            InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        int deleted = 0;
        do {
            var batch = candidates(age, batchSize);
            if (batch.ids().isEmpty()) {
                break;
            }
            if (!awaitSlotPast(batch.walPosition(), deadline)) {
                break;
            }
            deleted += delete(batch.ids());
            if (batch.ids().size() < batchSize) {
                break;
            }
        } while (System.nanoTime() < deadline);
        return deleted;
    }

    private record Batch(List<Long> ids, String walPosition) {
    }

    private Batch candidates(Duration age, int batchSize) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            var ids = new ArrayList<Long>();
            try (var s = c.prepareStatement("select id from outbox_message where created_at < now() - ? * interval "
                    + "'1 millisecond' order by id limit ?")) {
                s.setLong(1, age.toMillis());
                s.setInt(2, batchSize);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            // Taken after the snapshot: every row the snapshot sees committed before this position.
            String lsn;
            try (var s = c.createStatement(); var rs = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
                rs.next();
                lsn = rs.getString(1);
            }
            c.commit();
            return new Batch(ids, lsn);
        }
    }

    /** True once the slot has confirmed {@code lsn}; false at the deadline or if the slot does not exist. */
    private boolean awaitSlotPast(String lsn, long deadline) throws SQLException, InterruptedException {
        try (Connection c = dataSource.getConnection();
                var s = c.prepareStatement("select confirmed_flush_lsn >= ?::pg_lsn, confirmed_flush_lsn::text, active "
                        + "from pg_replication_slots where slot_name = ?")) {
            s.setString(1, lsn);
            s.setString(2, slotName);
            while (true) {
                try (var rs = s.executeQuery()) {
                    if (!rs.next()) {
                        log.warn("CDC retention: no replication slot {}, nothing deleted", slotName);
                        return false;
                    }
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                    if (System.nanoTime() >= deadline) {
                        log.info("CDC retention: slot {} (active={}) has confirmed {}, not yet {}; nothing deleted",
                                slotName, rs.getBoolean(3), rs.getString(2), lsn);
                        return false;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private int delete(List<Long> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                var s = c.prepareStatement("delete from outbox_message where id = any(?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return s.executeUpdate();
        }
    }
}
