package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.example.outbox.RetentionFailedException;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A retention run that fails part-way reports what it already deleted: each statement commits on its own, so the rows
 * of the statements before the failing one are gone, and the caller's count must say so. The failure is real:
 * PostgreSQL raises it from a trigger on one row of a later batch, in a database of this class's own.
 */
class RetentionPartialFailureTest {

    static DataSource dataSource;

    @BeforeAll
    static void database() throws SQLException {
        dataSource = IsolatedOutboxDatabase.create();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("""
                    create function refuse_marked_delete() returns trigger language plpgsql as $$
                    begin
                      if old::text like '%refuse-delete%' then
                        raise exception 'injected failure deleting a marked row';
                      end if;
                      return old;
                    end $$""");
            s.execute("create trigger refuse_marked before delete on outbox_published for each row"
                    + " execute function refuse_marked_delete()");
            s.execute("create trigger refuse_marked before delete on inbox_message for each row"
                    + " execute function refuse_marked_delete()");
        }
    }

    /** 25 old published-log entries, oldest first by n; entry {@code marked} refuses to be deleted. */
    private static void published(int marked) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("alter table outbox_published disable trigger refuse_marked");
            s.executeUpdate("delete from outbox_published");
            s.executeUpdate("alter table outbox_published enable trigger refuse_marked");
            s.executeUpdate(("insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type,"
                    + " created_at, published_at) select n, gen_random_uuid(), 't', 'a',"
                    + " case when n = %d then 'refuse-delete' else 'e' end, now(),"
                    + " now() - interval '40 days' + n * interval '1 second' from generate_series(1, 25) n")
                    .formatted(marked));
        }
    }

    private static long count(String table) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void outboxRetentionFailingInItsSecondBatchReportsTheFirstBatchDeleted() throws Exception {
        published(15);
        var failure = catchThrowableOfType(RetentionFailedException.class, () -> new JdbcOutboxRetention(dataSource)
                .deletePublishedOlderThan(Duration.ofDays(1), 10, Duration.ofSeconds(30)));
        assertThat((Throwable) failure).as("the second statement fails").isNotNull();
        assertThat(failure.deleted()).as("the first statement's 10 rows were committed").isEqualTo(10);
        assertThat(count("outbox_published")).isEqualTo(15);
        assertThat(failure.getSQLState()).as("the database's answer, for callers that classify it").isEqualTo("P0001");
        assertThat(failure.getMessage()).contains("after deleting 10 rows").contains("injected failure");
    }

    @Test
    void aFailingFirstBatchReportsNothingDeleted() throws Exception {
        published(3);
        var failure = catchThrowableOfType(RetentionFailedException.class, () -> new JdbcOutboxRetention(dataSource)
                .deletePublishedOlderThan(Duration.ofDays(1), 10, Duration.ofSeconds(30)));
        assertThat(failure.deleted()).isZero();
        assertThat(count("outbox_published")).isEqualTo(25);
    }

    @Test
    void inboxRetentionFailingInItsThirdBatchReportsTheFirstTwoDeleted() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("insert into inbox_message (consumer, message_key, received_at) select 'partial',"
                    + " case when n = 25 then 'refuse-delete' else 'k-' || n end,"
                    + " now() - interval '40 days' + n * interval '1 second' from generate_series(1, 30) n");
        }
        var failure = catchThrowableOfType(RetentionFailedException.class, () -> new JdbcInboxRetention(dataSource)
                .deleteOlderThan("partial", Duration.ofDays(30), 10, Duration.ofSeconds(30)));
        assertThat(failure.deleted()).isEqualTo(20);
        assertThat(count("inbox_message")).isEqualTo(10);
    }

    @Test
    void anUnreachableDatabaseReportsNothingDeleted() {
        var nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        var failure = catchThrowableOfType(RetentionFailedException.class, () -> new JdbcOutboxRetention(nowhere)
                .deletePublishedOlderThan(Duration.ofDays(1), 10, Duration.ZERO));
        assertThat(failure.deleted()).isZero();
        assertThat(failure.getSQLState()).startsWith("08"); // connection exception
    }
}
