package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxMessage;
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
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Each way PostgreSQL ends a claim's session reaches {@link ClaimedBatch#complete} as a {@link ClaimLostException}
 * with the server's own SQLSTATE as cause: 25P03 (idle-in-transaction timeout, the zombie hold limit) and 57P01
 * (the backend terminated by an operator or a restart). Nothing is recorded either way.
 */
class ClaimLossSqlStateTest {

    static DataSource dataSource;
    final RetryPolicy retry = RetryPolicy.defaults();

    @BeforeAll
    static void database() throws SQLException {
        dataSource = IsolatedOutboxDatabase.create();
    }

    @Test
    void completingAfterTheHoldLimitFailsWithTheIdleTimeoutState() throws Exception {
        String aggregate = append();
        var claimer = new JdbcOutboxClaimer(dataSource, retry, Duration.ofMillis(300));
        try (ClaimedBatch batch = claimer.claim(100)) {
            var mine = batch.messages().stream().filter(m -> m.message().aggregateId().equals(aggregate)).findFirst().orElseThrow();
            Thread.sleep(1500);
            assertThatThrownBy(() -> batch.complete(List.of(PublishResult.acked(mine))))
                    .isInstanceOf(ClaimLostException.class)
                    .cause().isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P03"));
        }
        assertThat(pending(aggregate)).isOne();
    }

    @Test
    void completingAfterTheBackendWasTerminatedFailsWithTheAdminShutdownState() throws Exception {
        String aggregate = append();
        var opened = new ArrayList<Connection>();
        var claimer = new JdbcOutboxClaimer(tracking(opened), retry, Duration.ofSeconds(30));
        try (ClaimedBatch batch = claimer.claim(100)) {
            var mine = batch.messages().stream().filter(m -> m.message().aggregateId().equals(aggregate)).findFirst().orElseThrow();
            int pid = opened.get(0).unwrap(PGConnection.class).getBackendPID();
            try (var c = dataSource.getConnection(); var s = c.prepareStatement("select pg_terminate_backend(?)")) {
                s.setInt(1, pid);
                s.execute();
            }
            Thread.sleep(200);
            assertThatThrownBy(() -> batch.complete(List.of(PublishResult.acked(mine))))
                    .isInstanceOf(ClaimLostException.class)
                    .cause().isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("57P"));
        }
        assertThat(pending(aggregate)).isOne();
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

    private static long pending(String aggregate) throws SQLException {
        try (var c = dataSource.getConnection();
                var s = c.prepareStatement("select count(*) from outbox_message where aggregate_id = ? and status = 'PENDING'")) {
            s.setString(1, aggregate);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String append() throws SQLException {
        String aggregate = "claim-loss-" + UUID.randomUUID();
        var m = OutboxMessage.json(UUID.randomUUID(), "test", aggregate, "test.happened", "/test", Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, m);
            c.commit();
        }
        return aggregate;
    }
}
