package com.example.outbox.jdbc;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RetryPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link OutboxClaimer}: {@code SELECT ... FOR UPDATE SKIP LOCKED} of aggregate heads, with the row
 * locks held in an open transaction while the batch is published.
 *
 * <p>Only a row with no earlier unpublished row of its aggregate is claimable (the {@code not exists}). A row
 * locked by another relay is still unpublished, so it hides its successors too: two relays can never hold rows
 * of the same aggregate. The transaction sets {@code idle_in_transaction_session_timeout} to the hold limit, so
 * PostgreSQL itself ends the session of a relay that stalls (a frozen or zombie invocation): its locks go, its
 * uncommitted marks vanish, and it can never mark rows that another relay claimed afterwards.
 *
 * <p>A claimed row that cannot be read as a message ({@code headers} not a JSON object of strings, an
 * {@code occurred_at} that no CloudEvents time can express) is parked at once with the reason, in a transaction of
 * its own, and the claim is taken again: its content will not change by retrying, so it is never treated as
 * transient and never holds up any aggregate but its own (which waits behind it, as behind any parked row).
 */
public final class JdbcOutboxClaimer implements OutboxClaimer {

    private static final Logger log = LoggerFactory.getLogger(JdbcOutboxClaimer.class);

    /**
     * For this transaction only: the zombie hold limit, and an asynchronous commit of the marks. A mark lost in a
     * database crash (the last few hundred ms of commits) only makes its rows pending again, so they are sent
     * again: a duplicate, never a loss. Order holds too: a later row of an aggregate can only be claimed after its
     * predecessor's mark committed, and WAL is replayed in order, so a crash cannot keep the later mark and lose
     * the earlier one. It saves a WAL flush per batch; the writers' commits stay synchronous.
     */
    private static final String SESSION_SETTINGS = """
            select set_config('idle_in_transaction_session_timeout', ?, true), set_config('synchronous_commit', 'off', true)
            """;
    private static final String CLAIM = """
            select m.id, m.message_id, m.aggregate_type, m.aggregate_id, m.event_type, m.source, m.content_type,
                   m.occurred_at, m.payload, m.headers::text, m.attempts, m.ctid::text
              from outbox_message m
             where m.status = 'PENDING'
               and m.available_at <= now()
               and not exists (select 1 from outbox_message earlier
                                where earlier.aggregate_id = m.aggregate_id
                                  and earlier.id < m.id)
             order by m.id
             limit ?
               for update of m skip locked
            """;
    /**
     * Moves acknowledged rows to the published log: cheaper than an in-place UPDATE (see ADR 0013). Each row is
     * found by its physical address (ctid, read by the claim) instead of a primary-key descent: our row lock keeps
     * the row at that address until this transaction ends. The id must match too, so a wrong address can never
     * delete another row; the caller checks the count.
     */
    private static final String MARK_PUBLISHED = """
            with published as (delete from outbox_message m
                                 using unnest(?::tid[], ?::bigint[]) as acked(row_address, id)
                                where m.ctid = acked.row_address and m.id = acked.id
                               returning m.id, m.message_id, m.aggregate_type, m.aggregate_id, m.event_type, m.created_at)
            insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at)
            select id, message_id, aggregate_type, aggregate_id, event_type, created_at from published
            """;
    /** A row that cannot be read as a message: parked at once, its attempt counted, the reason kept. */
    private static final String PARK_UNREADABLE = """
            update outbox_message set status = 'PARKED', attempts = attempts + 1, last_error = ? where id = ?
            """;
    /** The CloudEvents {@code time} is RFC 3339, whose year has four digits. */
    private static final Instant EARLIEST_TIME = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final String RETRY_TRANSIENT = """
            update outbox_message set available_at = now() + ? * interval '1 millisecond', last_error = ?
             where id = ?
            """;
    private static final String REJECTED = """
            update outbox_message
               set attempts = attempts + 1,
                   last_error = ?,
                   status = case when attempts + 1 >= ? then 'PARKED' else 'PENDING' end,
                   available_at = now() + ? * interval '1 millisecond'
             where id = ?
            """;

    private final DataSource dataSource;
    private final RetryPolicy retryPolicy;
    private final Duration holdLimit;
    private final Duration transientBackoff;

    /**
     * @param holdLimit how long a claim may sit idle before PostgreSQL ends the holder's session; must exceed the
     *                  publisher's worst-case publish time (Kafka {@code delivery.timeout.ms})
     */
    public JdbcOutboxClaimer(DataSource dataSource, RetryPolicy retryPolicy, Duration holdLimit) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.retryPolicy = Objects.requireNonNull(retryPolicy);
        this.holdLimit = Objects.requireNonNull(holdLimit);
        this.transientBackoff = Duration.ofMillis(500);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Unreadable rows met on the way are parked and committed before this returns (counted in
     * {@link ClaimedBatch#parkedAtClaim()}); they never appear in the batch.
     */
    @Override
    public ClaimedBatch claim(int maxMessages) throws SQLException {
        int parkedUnreadable = 0;
        while (true) {
            Connection connection = dataSource.getConnection();
            try {
                connection.setAutoCommit(false);
                try (var limit = connection.prepareStatement(SESSION_SETTINGS)) {
                    limit.setString(1, Long.toString(holdLimit.toMillis()));
                    limit.execute();
                }
                List<PendingMessage> messages = new ArrayList<>();
                Map<Long, String> rowAddresses = new HashMap<>();
                Map<Long, String> unreadable = new LinkedHashMap<>();
                try (var select = connection.prepareStatement(CLAIM)) {
                    select.setInt(1, maxMessages);
                    try (var rs = select.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            try {
                                messages.add(new PendingMessage(id, read(rs), rs.getInt(11)));
                                rowAddresses.put(id, rs.getString(12));
                            } catch (UnreadableRowException e) {
                                unreadable.put(id, e.getMessage());
                            }
                        }
                    }
                }
                if (!unreadable.isEmpty()) {
                    // Park them on their own and claim again: the rows claimed beside them are released unchanged
                    // by the commit and come back in the next claim, unless another relay took them meanwhile.
                    park(connection, unreadable);
                    connection.commit();
                    closeQuietly(connection);
                    parkedUnreadable += unreadable.size();
                    continue;
                }
                if (messages.isEmpty()) {
                    connection.rollback();
                }
                return new JdbcClaimedBatch(connection, List.copyOf(messages), rowAddresses, parkedUnreadable);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * The message of the current row. Columns are read with JDBC (a failure there is the database's, an
     * {@link SQLException}); turning them into a message can only fail because of the row's content.
     */
    private static OutboxMessage read(ResultSet rs) throws SQLException, UnreadableRowException {
        UUID messageId = rs.getObject(2, UUID.class);
        String aggregateType = rs.getString(3);
        String aggregateId = rs.getString(4);
        String eventType = rs.getString(5);
        String source = rs.getString(6);
        String contentType = rs.getString(7);
        OffsetDateTime occurredAt = rs.getObject(8, OffsetDateTime.class);
        byte[] payload = rs.getBytes(9);
        String headers = rs.getString(10);
        // pgjdbc reads 'infinity' and '-infinity' as OffsetDateTime.MAX and MIN.
        Instant time = occurredAt == null ? null : occurredAt.toInstant();
        if (time == null || time.isBefore(EARLIEST_TIME) || time.isAfter(LATEST_TIME)) {
            throw new UnreadableRowException("occurred_at " + occurredAt + " is not a CloudEvents time (RFC 3339:"
                    + " years 0000 to 9999)");
        }
        Map<String, String> extraHeaders;
        try {
            extraHeaders = HeadersJson.read(headers);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRowException(e.getMessage());
        }
        try {
            return new OutboxMessage(messageId, aggregateType, aggregateId, eventType, source, contentType, time,
                    payload, extraHeaders);
        } catch (NullPointerException e) {
            throw new UnreadableRowException("column missing: " + e.getMessage());
        }
    }

    private static void park(Connection connection, Map<Long, String> unreadable) throws SQLException {
        try (var park = connection.prepareStatement(PARK_UNREADABLE)) {
            for (var row : unreadable.entrySet()) {
                park.setString(1, truncate("unreadable outbox row, parked without sending (its content cannot"
                        + " change by retrying; repair the row, then re-queue it): " + row.getValue()));
                park.setLong(2, row.getKey());
                park.addBatch();
            }
            park.executeBatch();
        }
        log.error("Parked {} unreadable outbox rows (ids {}); their aggregates wait until an operator repairs and"
                + " re-queues them", unreadable.size(), unreadable.keySet());
    }

    /** The row's content cannot be made into a message; retrying cannot help. */
    private static final class UnreadableRowException extends Exception {
        UnreadableRowException(String message) {
            super(message, null, false, false);
        }
    }

    private final class JdbcClaimedBatch implements ClaimedBatch {

        private final Connection connection;
        private final List<PendingMessage> messages;
        /** Message id → ctid of its row, stable while this transaction holds the row lock. */
        private final Map<Long, String> rowAddresses;
        private final int parkedAtClaim;
        private boolean completed;

        JdbcClaimedBatch(Connection connection, List<PendingMessage> messages, Map<Long, String> rowAddresses,
                int parkedAtClaim) {
            this.connection = connection;
            this.messages = messages;
            this.rowAddresses = rowAddresses;
            this.parkedAtClaim = parkedAtClaim;
        }

        @Override
        public List<PendingMessage> messages() {
            return messages;
        }

        @Override
        public int parkedAtClaim() {
            return parkedAtClaim;
        }

        @Override
        public void verifyStillHeld() throws ClaimLostException {
            try (var check = connection.createStatement()) {
                check.execute("select 1");
            } catch (SQLException e) {
                throw new ClaimLostException("claim on " + messages.size() + " rows expired", e);
            }
        }

        @Override
        public int complete(List<PublishResult> results) throws SQLException {
            if (completed) {
                throw new IllegalStateException("batch already completed");
            }
            List<Long> acked = new ArrayList<>();
            List<String> ackedRows = new ArrayList<>();
            int parked = 0;
            try {
                try (var retryTransient = connection.prepareStatement(RETRY_TRANSIENT);
                        var rejected = connection.prepareStatement(REJECTED)) {
                    for (PublishResult result : results) {
                        PendingMessage m = result.message();
                        switch (result.outcome()) {
                            case ACKED -> {
                                acked.add(m.id());
                                ackedRows.add(Objects.requireNonNull(rowAddresses.get(m.id()), "not in this batch"));
                            }
                            case TRANSIENT_FAILURE -> {
                                retryTransient.setLong(1, transientBackoff.toMillis());
                                retryTransient.setString(2, truncate(result.error()));
                                retryTransient.setLong(3, m.id());
                                retryTransient.addBatch();
                            }
                            case REJECTED -> {
                                int attempts = m.attempts() + 1;
                                if (attempts >= retryPolicy.maxAttempts()) {
                                    parked++;
                                }
                                rejected.setString(1, truncate(result.error()));
                                rejected.setInt(2, retryPolicy.maxAttempts());
                                rejected.setLong(3, retryPolicy.backoffAfter(attempts).toMillis());
                                rejected.setLong(4, m.id());
                                rejected.addBatch();
                            }
                        }
                    }
                    if (!acked.isEmpty()) {
                        try (var mark = connection.prepareStatement(MARK_PUBLISHED)) {
                            mark.setArray(1, connection.createArrayOf("text", ackedRows.toArray()));
                            mark.setArray(2, connection.createArrayOf("bigint", acked.toArray()));
                            int moved = mark.executeUpdate();
                            if (moved != acked.size()) {
                                // Cannot happen while we hold the locks; if it did, record nothing (all sent again later).
                                throw new SQLException("marked " + moved + " of " + acked.size() + " acknowledged rows");
                            }
                        }
                    }
                    retryTransient.executeBatch();
                    rejected.executeBatch();
                }
                connection.commit();
            } catch (SQLException e) {
                // A terminated session (claim expired) shows up here: nothing was recorded.
                if (isSessionGone(e)) {
                    throw new ClaimLostException("claim expired before commit; nothing recorded", e);
                }
                throw e;
            }
            completed = true;
            return parked;
        }

        @Override
        public void close() {
            try {
                if (!completed && !connection.isClosed() && !messages.isEmpty()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // The session is gone: PostgreSQL rolled back already.
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private static boolean isSessionGone(SQLException e) {
        String state = e.getSQLState();
        // 08xxx connection exceptions, 57P01 admin shutdown, 25P03 idle-in-transaction timeout.
        return state == null || state.startsWith("08") || state.startsWith("57P") || "25P03".equals(state);
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= 2000 ? error : error.substring(0, 2000);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}
