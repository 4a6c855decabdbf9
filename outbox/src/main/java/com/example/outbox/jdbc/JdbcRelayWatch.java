package com.example.outbox.jdbc;

import com.example.outbox.RelayWatch;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/** {@link RelayWatch} on the {@code outbox_relay_watch} table (migration V3); each call is its own auto-commit statement. */
public final class JdbcRelayWatch implements RelayWatch {

    private static final String IS_WATCHED = "select exists (select 1 from outbox_relay_watch where watching_until > now())";
    private static final String WATCH = """
            insert into outbox_relay_watch (relay_id, watching_until)
            values (?, now() + make_interval(secs => ?))
            on conflict (relay_id) do update set watching_until = excluded.watching_until
            """;
    // Also forgets the rows of relays that died without releasing (long expired, so they answer "no" anyway).
    private static final String RELEASE = "delete from outbox_relay_watch where relay_id = ? or watching_until < now() - interval '1 minute'";

    private final DataSource dataSource;

    public JdbcRelayWatch(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    @Override
    public boolean isWatched() throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(IS_WATCHED);
                var rows = statement.executeQuery()) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    @Override
    public void watch(String relayId, Duration lease) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(WATCH)) {
            statement.setString(1, relayId);
            statement.setDouble(2, lease.toMillis() / 1000.0);
            statement.executeUpdate();
        }
    }

    @Override
    public void release(String relayId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(RELEASE)) {
            statement.setString(1, relayId);
            statement.executeUpdate();
        }
    }
}
