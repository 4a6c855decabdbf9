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
import java.util.Arrays;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Operator commands for the outbox, run from the relay's jar:
 * <pre>
 *   java -Ddb.url=$DB_URL -Ddb.user=$DB_USERNAME -Ddb.password=$DB_PASSWORD -jar outbox-relay-fn.jar COMMAND
 *     stats                              backlog, parked rows, relay lag
 *     parked [LIMIT]                     list parked rows (id, aggregate, type, attempts, error)
 *     requeue ID | all                   make parked rows pending again (attempts reset)
 *     reconcile [PENDING_THRESHOLD] [CHECKABLE_WINDOW]
 *                                        drift check, ISO-8601 durations, defaults PT5M and P6D;
 *                                        exit status 1 when drift is found
 * </pre>
 * Exit status: 0 fine, 1 drift found (reconcile), 2 usage or connection error.
 */
public final class OutboxAdmin {

    private final DataSource dataSource;
    private final PrintStream out;

    OutboxAdmin(DataSource dataSource, PrintStream out) {
        this.dataSource = dataSource;
        this.out = out;
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: OutboxAdmin stats | parked [LIMIT] | requeue ID|all | reconcile [PENDING_THRESHOLD] [CHECKABLE_WINDOW]");
            System.exit(2);
        }
        var ds = new PGSimpleDataSource();
        ds.setUrl(System.getProperty("db.url", "jdbc:postgresql://localhost:5432/orders"));
        ds.setUser(System.getProperty("db.user", "orders"));
        ds.setPassword(System.getProperty("db.password", "orders"));
        try {
            System.exit(new OutboxAdmin(ds, System.out).run(args));
        } catch (SQLException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    int run(String[] args) throws SQLException {
        return switch (args[0]) {
            case "stats" -> {
                var s = new JdbcOutboxStats(dataSource).snapshot();
                out.printf("pending=%d parked=%d relayLagMillis=%d%n", s.pending(), s.parked(), s.oldestPendingAge().toMillis());
                yield 0;
            }
            case "parked" -> {
                int limit = args.length > 1 ? Integer.parseInt(args[1]) : 100;
                for (ParkedEvent p : new JdbcParkedEvents(dataSource).list(limit)) {
                    out.printf("%d\t%s\t%s\t%s\tattempts=%d\t%s%n", p.id(), p.createdAt(), p.aggregateId(), p.eventType(),
                            p.attempts(), p.lastError());
                }
                yield 0;
            }
            case "requeue" -> {
                if (args.length < 2) {
                    throw new IllegalArgumentException("requeue needs a row id or 'all'");
                }
                var parked = new JdbcParkedEvents(dataSource);
                int n = "all".equals(args[1]) ? parked.requeueAll() : parked.requeue(Long.parseLong(args[1]));
                out.printf("requeued %d%n", n);
                yield 0;
            }
            case "reconcile" -> reconcile(
                    args.length > 1 ? Duration.parse(args[1]) : Duration.ofMinutes(5),
                    args.length > 2 ? Duration.parse(args[2]) : Duration.ofDays(6));
            default -> throw new IllegalArgumentException("unknown command " + Arrays.toString(args));
        };
    }

    /** @return 1 if any drift was found, else 0 */
    int reconcile(Duration pendingThreshold, Duration checkableWindow) throws SQLException {
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
            try (var s = c.prepareStatement(sql("rows-pending-too-long.sql"))) {
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
