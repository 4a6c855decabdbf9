package com.example.outbox.jdbc;

import com.example.outbox.BacklogStats;
import com.example.outbox.OutboxStats;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/** The default {@link OutboxStats}: one aggregate query over the outbox table, which holds only unpublished rows. */
public final class JdbcOutboxStats implements OutboxStats {

    private static final String STATS = """
            select count(*) filter (where status = 'PENDING'),
                   count(*) filter (where status = 'PARKED'),
                   coalesce(extract(epoch from now() - min(created_at) filter (where status = 'PENDING')) * 1000, 0)::bigint
              from outbox_message
            """;

    private final DataSource dataSource;

    public JdbcOutboxStats(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    @Override
    public BacklogStats snapshot() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(STATS); var rs = s.executeQuery()) {
            rs.next();
            return new BacklogStats(rs.getLong(1), rs.getLong(2), Duration.ofMillis(Math.max(0, rs.getLong(3))));
        }
    }
}
