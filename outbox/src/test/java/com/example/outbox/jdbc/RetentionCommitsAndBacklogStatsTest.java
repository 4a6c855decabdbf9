package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.BacklogStats;
import com.example.outbox.OutboxMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention commits its deletes even when the pool hands out connections with auto-commit off (as a pool configured
 * for transactions does), and the backlog figures operators alarm on count what they say.
 */
class RetentionCommitsAndBacklogStatsTest {

    static DataSource dataSource;

    @BeforeAll
    static void database() throws SQLException {
        dataSource = IsolatedOutboxDatabase.create();
    }

    @Test
    void retentionCommitsOnAConnectionThatCameWithAutoCommitOff() throws Exception {
        execute("delete from outbox_published");
        execute("insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at, published_at)"
                + " select g, gen_random_uuid(), 't', 'a', 'e', now(), now() - interval '2 hours' from generate_series(1, 3) g");
        var retention = new JdbcOutboxRetention(autoCommitOff());
        assertThat(retention.deletePublishedOlderThan(Duration.ofHours(1), 10, Duration.ofSeconds(30))).isEqualTo(3);
        assertThat(count("select count(*) from outbox_published")).isZero();
    }

    @Test
    void backlogCountsPendingAndParkedRowsAndAgesTheOldestPendingOne() throws Exception {
        execute("delete from outbox_message");
        assertThat(new JdbcOutboxStats(dataSource).snapshot()).isEqualTo(new BacklogStats(0, 0, Duration.ZERO));
        append("a");
        append("b");
        append("c");
        execute("update outbox_message set created_at = now() - interval '1 hour' where aggregate_id = 'a'");
        execute("update outbox_message set status = 'PARKED', created_at = now() - interval '5 hours' where aggregate_id = 'c'");
        BacklogStats stats = new JdbcOutboxStats(dataSource).snapshot();
        assertThat(stats.pending()).isEqualTo(2);
        assertThat(stats.parked()).isOne();
        assertThat(stats.oldestPendingAge()).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
    }

    private static DataSource autoCommitOff() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(dataSource, args);
                        if (result instanceof Connection c) {
                            c.setAutoCommit(false);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void append(String aggregateId) throws SQLException {
        var m = OutboxMessage.json(UUID.randomUUID(), "test", aggregateId, "test.happened", "/test", Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new JdbcOutboxWriter().append(c, m);
            c.commit();
        }
    }

    private static void execute(String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
