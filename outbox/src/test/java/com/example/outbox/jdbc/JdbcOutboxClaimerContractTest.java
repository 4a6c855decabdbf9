package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.RetryPolicy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim, mark and park SQL of {@link JdbcOutboxClaimer}, row by row against real PostgreSQL: what each
 * outcome writes (status, attempts, backoff, error), the exact counts it reports, and its refusals.
 * Written to kill the mutants PIT found surviving in the relay-level tests (docs/benchmarks.md).
 */
class JdbcOutboxClaimerContractTest {

    static DataSource dataSource;
    final RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(40));
    JdbcOutboxClaimer claimer;

    @BeforeAll
    static void database() throws SQLException {
        dataSource = IsolatedOutboxDatabase.create();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published");
        }
        claimer = new JdbcOutboxClaimer(dataSource, retry, Duration.ofSeconds(30));
    }

    @Test
    void claimReturnsAtMostTheLimitOfAggregateHeadsInIdOrderWithEveryField() throws Exception {
        var headers = Map.of("traceparent", "00-abc-01");
        var first = append(message("a").withExtraHeaders(headers));
        append(message("a"));
        var second = append(message("b"));
        append(message("c"));
        try (ClaimedBatch batch = claimer.claim(2)) {
            assertThat(batch.isEmpty()).isFalse();
            assertThat(batch.messages()).extracting(m -> m.message().messageId())
                    .containsExactly(first.messageId(), second.messageId());
            PendingMessage head = batch.messages().get(0);
            assertThat(head.attempts()).isZero();
            OutboxMessage read = head.message();
            assertThat(read.aggregateType()).isEqualTo("test");
            assertThat(read.aggregateId()).isEqualTo("a");
            assertThat(read.eventType()).isEqualTo("test.happened");
            assertThat(read.source()).isEqualTo("/test");
            assertThat(read.contentType()).isEqualTo("application/json");
            assertThat(read.occurredAt()).isEqualTo(first.occurredAt());
            assertThat(read.payload()).isEqualTo(first.payload());
            assertThat(read.extraHeaders()).isEqualTo(headers);
        }
    }

    @Test
    void anOpenClaimHidesItsRowsAndTheirSuccessorsFromAnotherClaimer() throws Exception {
        append(message("a"));
        append(message("a"));
        var other = append(message("b"));
        try (ClaimedBatch held = claimer.claim(1)) {
            assertThat(held.messages()).hasSize(1);
            try (ClaimedBatch second = claimer.claim(10)) {
                assertThat(second.messages()).extracting(m -> m.message().messageId())
                        .containsExactly(other.messageId());
            }
        }
    }

    @Test
    void ackedRowsMoveToThePublishedLogAndTheNextRowOfTheAggregateBecomesClaimable() throws Exception {
        var first = append(message("a"));
        var next = append(message("a"));
        int parked;
        try (ClaimedBatch batch = claimer.claim(10)) {
            parked = batch.complete(List.of(PublishResult.acked(batch.messages().get(0))));
        }
        assertThat(parked).isZero();
        assertThat(count("select count(*) from outbox_published where message_id = '" + first.messageId() + "'")).isOne();
        assertThat(count("select count(*) from outbox_message where message_id = '" + first.messageId() + "'")).isZero();
        try (ClaimedBatch batch = claimer.claim(10)) {
            assertThat(batch.messages()).extracting(m -> m.message().messageId()).containsExactly(next.messageId());
        }
    }

    @Test
    void aTransientFailureKeepsTheRowPendingWithoutCountingAnAttemptAndBacksOffHalfASecond() throws Exception {
        var m = append(message("a"));
        int parked;
        try (ClaimedBatch batch = claimer.claim(10)) {
            parked = batch.complete(List.of(PublishResult.transientFailure(batch.messages().get(0), "broker down")));
        }
        assertThat(parked).isZero();
        Row row = row(m);
        assertThat(row.status()).isEqualTo("PENDING");
        assertThat(row.attempts()).isZero();
        assertThat(row.lastError()).isEqualTo("broker down");
        assertThat(row.backoffMillis()).isBetween(300L, 700L);
        try (ClaimedBatch batch = claimer.claim(10)) {
            assertThat(batch.isEmpty()).as("not claimable during its backoff").isTrue();
        }
    }

    @Test
    void rejectionsCountAttemptsBackOffByThePolicyAndParkAtTheLimit() throws Exception {
        var m = append(message("a"));
        for (int attempt = 1; attempt <= 3; attempt++) {
            int parked;
            try (ClaimedBatch batch = claimer.claim(10)) {
                assertThat(batch.messages()).singleElement().extracting(PendingMessage::attempts).isEqualTo(attempt - 1);
                parked = batch.complete(List.of(PublishResult.rejected(batch.messages().get(0), "too large " + attempt)));
            }
            Row row = row(m);
            assertThat(row.attempts()).isEqualTo(attempt);
            assertThat(row.lastError()).isEqualTo("too large " + attempt);
            long expectedBackoff = retry.backoffAfter(attempt).toMillis();
            assertThat(row.backoffMillis()).isBetween(expectedBackoff - 1000, expectedBackoff + 1000);
            if (attempt < 3) {
                assertThat(parked).isZero();
                assertThat(row.status()).isEqualTo("PENDING");
                makeAvailable();
            } else {
                assertThat(parked).isOne();
                assertThat(row.status()).isEqualTo("PARKED");
            }
        }
        makeAvailable();
        try (ClaimedBatch batch = claimer.claim(10)) {
            assertThat(batch.isEmpty()).as("a parked row is never claimed").isTrue();
        }
    }

    @Test
    void aMixedBatchIsRecordedAtomicallyWithExactCounts() throws Exception {
        append(message("a"));
        append(message("b"));
        append(message("c"));
        int parked;
        try (ClaimedBatch batch = claimer.claim(10)) {
            var ms = batch.messages();
            parked = batch.complete(List.of(PublishResult.acked(ms.get(0)),
                    PublishResult.transientFailure(ms.get(1), "timeout"), PublishResult.rejected(ms.get(2), "bad")));
        }
        assertThat(parked).isZero();
        assertThat(count("select count(*) from outbox_published")).isOne();
        assertThat(count("select count(*) from outbox_message where status = 'PENDING'")).isEqualTo(2);
    }

    @Test
    void errorsAreStoredTruncatedTo2000CharactersAndMayBeAbsent() throws Exception {
        var longError = append(message("a"));
        var noError = append(message("b"));
        try (ClaimedBatch batch = claimer.claim(10)) {
            var ms = batch.messages();
            batch.complete(List.of(PublishResult.rejected(ms.get(0), "x".repeat(2001)),
                    PublishResult.transientFailure(ms.get(1), null)));
        }
        assertThat(row(longError).lastError()).hasSize(2000);
        assertThat(row(noError).lastError()).isNull();
    }

    @Test
    void aBatchCompletesOnceOnly() throws Exception {
        append(message("a"));
        try (ClaimedBatch batch = claimer.claim(10)) {
            var acked = List.of(PublishResult.acked(batch.messages().get(0)));
            batch.complete(acked);
            assertThatThrownBy(() -> batch.complete(acked)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void ackingARowOutsideTheBatchIsRefused() throws Exception {
        append(message("a"));
        var stranger = new PendingMessage(Long.MAX_VALUE, message("z"), 0);
        try (ClaimedBatch batch = claimer.claim(10)) {
            assertThatThrownBy(() -> batch.complete(List.of(PublishResult.acked(stranger))))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("not in this batch");
        }
        assertThat(count("select count(*) from outbox_message")).isOne();
    }

    @Test
    void aMarkThatMovesFewerRowsThanAckedRecordsNothing() throws Exception {
        var m = append(message("a"));
        try (ClaimedBatch batch = claimer.claim(10)) {
            var ack = PublishResult.acked(batch.messages().get(0));
            assertThatThrownBy(() -> batch.complete(List.of(ack, ack)))
                    .isInstanceOf(SQLException.class).hasStackTraceContaining("marked 1 of 2");
        }
        assertThat(row(m).status()).isEqualTo("PENDING");
        assertThat(count("select count(*) from outbox_published")).isZero();
    }

    @Test
    void aDatabaseErrorThatIsNotALostSessionIsRethrownAsIs() throws Exception {
        append(message("a"));
        try (ClaimedBatch batch = claimer.claim(10)) {
            // PostgreSQL refuses NUL in text (SQLSTATE 22021): a statement error, the session is fine.
            assertThatThrownBy(() -> batch.complete(List.of(PublishResult.rejected(batch.messages().get(0), "nul\u0000"))))
                    .isInstanceOf(SQLException.class).isNotInstanceOf(ClaimLostException.class);
        }
        assertThat(count("select count(*) from outbox_message where attempts = 0")).isOne();
    }

    @Test
    void aClaimHeldIdlePastItsHoldLimitIsLostAndRecordsNothing() throws Exception {
        var m = append(message("a"));
        var shortHold = new JdbcOutboxClaimer(dataSource, retry, Duration.ofMillis(300));
        try (ClaimedBatch batch = shortHold.claim(10)) {
            batch.verifyStillHeld();
            Thread.sleep(1500);
            assertThatThrownBy(batch::verifyStillHeld).isInstanceOf(ClaimLostException.class);
            assertThatThrownBy(() -> batch.complete(List.of(PublishResult.acked(batch.messages().get(0)))))
                    .isInstanceOf(ClaimLostException.class);
        }
        assertThat(row(m).status()).isEqualTo("PENDING");
        try (ClaimedBatch again = claimer.claim(10)) {
            assertThat(again.messages()).hasSize(1);
        }
    }

    @Test
    void closingWithoutCompletingReleasesTheRowsUnchanged() throws Exception {
        var m = append(message("a"));
        var connections = new ArrayList<Connection>();
        var tracking = new JdbcOutboxClaimer(tracking(connections), retry, Duration.ofSeconds(30));
        try (ClaimedBatch batch = tracking.claim(10)) {
            assertThat(batch.messages()).hasSize(1);
        }
        assertThat(connections).singleElement().satisfies(c -> assertThat(c.isClosed()).isTrue());
        assertThat(row(m).attempts()).isZero();
        try (ClaimedBatch again = claimer.claim(10)) {
            assertThat(again.messages()).hasSize(1);
        }
    }

    @Test
    void aFailedClaimClosesItsConnection() throws Exception {
        var connections = new ArrayList<Connection>();
        // A negative hold limit is refused by PostgreSQL's set_config: the claim fails after opening a connection.
        var broken = new JdbcOutboxClaimer(tracking(connections), retry, Duration.ofMillis(-5));
        assertThatThrownBy(() -> broken.claim(10)).isInstanceOf(SQLException.class);
        assertThat(connections).singleElement().satisfies(c -> assertThat(c.isClosed()).isTrue());
    }

    private static DataSource tracking(List<Connection> opened) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(dataSource, args);
                        if (result instanceof Connection c) {
                            opened.add(c);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    record Row(String status, int attempts, String lastError, long backoffMillis) {
    }

    private static Row row(OutboxMessage m) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(
                "select status, attempts, last_error, (extract(epoch from available_at - now()) * 1000)::bigint"
                        + " from outbox_message where message_id = ?")) {
            s.setObject(1, m.messageId());
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).as("row of " + m.messageId()).isTrue();
                return new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4));
            }
        }
    }

    private static void makeAvailable() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("update outbox_message set available_at = now()");
        }
    }

    private static long count(String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static OutboxMessage append(OutboxMessage m) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, m);
            c.commit();
        }
        return m;
    }

    private static OutboxMessage message(String aggregateId) {
        return OutboxMessage.json(UUID.randomUUID(), "test", aggregateId, "test.happened", "/test",
                Instant.parse("2026-01-02T03:04:05.678Z"), ("{\"a\":\"" + aggregateId + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
