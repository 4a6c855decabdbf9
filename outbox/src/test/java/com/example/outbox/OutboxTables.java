package com.example.outbox;

import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The outbox tables on the shared real PostgreSQL, for this module's own tests of its JDBC and Kafka parts. The
 * delivery guarantees of a whole relay are proven by the contract kit (module outbox-testkit, docs/guarantees.md).
 */
public final class OutboxTables {

    private static DataSource dataSource;

    private OutboxTables() {
    }

    /** Migrated once per JVM. */
    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            var ds = SharedServers.postgres().dataSource();
            OutboxSchema.migrate(ds);
            dataSource = ds;
        }
        return dataSource;
    }

    /** Empties the outbox and the published log. */
    public static void clear() throws SQLException {
        try (var c = dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_message");
            s.execute("delete from outbox_published");
        }
    }

    /** A small JSON message of a fresh aggregate unless {@code aggregateId} is given. */
    public static OutboxMessage message(String aggregateId) {
        return OutboxMessage.json(UUID.randomUUID(), "test", aggregateId, "test.happened", "/tests", Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** Appends in one committed transaction, in order. */
    public static void append(OutboxMessage... messages) throws SQLException {
        var writer = new JdbcOutboxWriter();
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (var m : messages) {
                writer.append(c, m);
            }
            c.commit();
        }
    }

    /** {@code select count(*) from <table> where <where>}. */
    public static long count(String table, String where) throws SQLException {
        try (var c = dataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from " + table + " where " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
