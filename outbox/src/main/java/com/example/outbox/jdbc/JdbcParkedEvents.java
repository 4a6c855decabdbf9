package com.example.outbox.jdbc;

import com.example.outbox.ParkedEvent;
import com.example.outbox.ParkedEvents;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/** The default {@link ParkedEvents}; the SQL is the same an operator would type (see the relay's README). */
public final class JdbcParkedEvents implements ParkedEvents {

    public static final String LIST = """
            select id, message_id, aggregate_id, event_type, attempts, last_error, created_at
              from outbox_message where status = 'PARKED' order by id limit ?
            """;
    public static final String REQUEUE = """
            update outbox_message set status = 'PENDING', attempts = 0, available_at = now()
             where status = 'PARKED' and id = ?
            """;
    public static final String REQUEUE_ALL = """
            update outbox_message set status = 'PENDING', attempts = 0, available_at = now() where status = 'PARKED'
            """;

    private final DataSource dataSource;

    public JdbcParkedEvents(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    @Override
    public List<ParkedEvent> list(int limit) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(LIST)) {
            s.setInt(1, limit);
            var parked = new ArrayList<ParkedEvent>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    parked.add(new ParkedEvent(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
            return parked;
        }
    }

    @Override
    public int requeue(long id) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(REQUEUE)) {
            s.setLong(1, id);
            return s.executeUpdate();
        }
    }

    @Override
    public int requeueAll() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(REQUEUE_ALL)) {
            return s.executeUpdate();
        }
    }
}
