package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The relay's retention failing part-way still reports what it deleted: PostgreSQL refuses (from a trigger) to delete
 * one published-log entry of the run's second statement; the first statement's entries are gone, and the invocation's
 * summary and its {@code RetentionDeleted} metric count them instead of 0.
 */
class RelayRetentionPartialFailureTest {

    @Test
    void retentionFailingInItsSecondStatementCountsTheFirstStatementsDeletions() throws Exception {
        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        String createdTopic = "relay-retention-" + UUID.randomUUID();
        kafka.createTopics(1, createdTopic, "order.cancelled.dlq");
        String marker = "refuse-delete-" + UUID.randomUUID();
        var context = ApplicationContext.builder(OutboxRelayFunction.ENVIRONMENT).properties(Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password(),
                "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "topics.order-created", createdTopic,
                "relay.idle-limit", "0s",
                "relay.safety-margin", "2s",
                "RELAY_RETENTION_BATCH_SIZE", "5")).start();
        OutboxSchema.migrate(context.getBean(DataSource.class));
        DataSource dataSource = pg.dataSource(); // outlives the function's context, which the function closes
        {
            // 12 entries older than anything else in the log (the oldest go first); the 8th, in the second
            // statement of 5, refuses to be deleted.
            sql(dataSource, """
                    create or replace function refuse_marked_published() returns trigger language plpgsql as $$
                    begin
                      if old.event_type = '%s' then raise exception 'injected failure deleting %%', old.id; end if;
                      return old;
                    end $$""".formatted(marker),
                    "create trigger refuse_marked_published before delete on outbox_published for each row"
                            + " execute function refuse_marked_published()",
                    ("insert into outbox_published (id, message_id, aggregate_type, aggregate_id, event_type, created_at,"
                            + " published_at) select -1000000 - n, gen_random_uuid(), 't', 'retention-partial',"
                            + " case when n = 8 then '%s' else 'e' end, now(),"
                            + " timestamptz '2000-01-01' + n * interval '1 second' from generate_series(1, 12) n")
                            .formatted(marker));
            var stdout = new ByteArrayOutputStream();
            PrintStream original = System.out;
            RelaySummary summary;
            try (var function = new OutboxRelayFunction(context)) { // closes the context too
                System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
                summary = function.handleRequest(OutboxRelayFunctionTest.lambdaDeserializes(
                        OutboxRelayFunctionTest.SCHEDULER_INPUT, RelayTrigger.class), new TestLambdaContext(Duration.ofSeconds(30)));
            } finally {
                System.setOut(original);
                sql(dataSource, "drop trigger refuse_marked_published on outbox_published",
                        "drop function refuse_marked_published()",
                        "delete from outbox_published where aggregate_id = 'retention-partial'");
            }
            assertThat(summary.stopReason()).isEqualTo("IDLE");
            assertThat(summary.retentionDeleted()).as("the first statement's 5 entries, committed").isEqualTo(5);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("\"RetentionDeleted\":5");
        }
    }

    private static void sql(DataSource dataSource, String... statements) throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
