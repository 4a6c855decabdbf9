package com.example.outbox.jdbc;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RetryPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The default {@link OutboxClaimer}: {@code SELECT ... FOR UPDATE SKIP LOCKED} of aggregate heads, with the row
 * locks held in an open transaction while the batch is published.
 *
 * <p>Only a row with no earlier unpublished row of its aggregate is claimable (the {@code not exists}). A row
 * locked by another relay is still unpublished, so it hides its successors too: two relays can never hold rows
 * of the same aggregate. The transaction sets {@code idle_in_transaction_session_timeout} to the hold limit, so
 * PostgreSQL itself ends the session of a relay that stalls (a frozen or zombie invocation): its locks go, its
 * uncommitted marks vanish, and it can never mark rows that another relay claimed afterwards.
 */
public final class JdbcOutboxClaimer implements OutboxClaimer {

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

    @Override
    public ClaimedBatch claim(int maxMessages) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (var limit = connection.prepareStatement(SESSION_SETTINGS)) {
                limit.setString(1, Long.toString(holdLimit.toMillis()));
                limit.execute();
            }
            List<PendingMessage> messages = new ArrayList<>();
            Map<Long, String> rowAddresses = new HashMap<>();
            try (var select = connection.prepareStatement(CLAIM)) {
                select.setInt(1, maxMessages);
                try (var rs = select.executeQuery()) {
                    while (rs.next()) {
                        var message = new OutboxMessage(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getTimestamp(8).toInstant(), rs.getBytes(9), HeadersJson.read(rs.getString(10)));
                        messages.add(new PendingMessage(rs.getLong(1), message, rs.getInt(11)));
                        rowAddresses.put(rs.getLong(1), rs.getString(12));
                    }
                }
            }
            if (messages.isEmpty()) {
                connection.rollback();
            }
            return new JdbcClaimedBatch(connection, List.copyOf(messages), rowAddresses);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private final class JdbcClaimedBatch implements ClaimedBatch {

        private final Connection connection;
        private final List<PendingMessage> messages;
        /** Message id → ctid of its row, stable while this transaction holds the row lock. */
        private final Map<Long, String> rowAddresses;
        private boolean completed;

        JdbcClaimedBatch(Connection connection, List<PendingMessage> messages, Map<Long, String> rowAddresses) {
            this.connection = connection;
            this.messages = messages;
            this.rowAddresses = rowAddresses;
        }

        @Override
        public List<PendingMessage> messages() {
            return messages;
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
