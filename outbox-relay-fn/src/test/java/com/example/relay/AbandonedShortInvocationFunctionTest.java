package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A short invocation whose only batch cannot be acknowledged in the time left publishes nothing: that is a function
 * error with an ERROR log, not a quiet success, and the rows stay pending. The producer here holds records for a
 * minute before sending (linger.ms), so acknowledgements cannot arrive within the 7 s the relay may wait.
 */
class AbandonedShortInvocationFunctionTest {

    @Test
    void aShortInvocationThatAbandonsItsOnlyBatchFailsLoudlyAndKeepsTheRows() throws Exception {
        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        String topic = "relay-fn-abandon-" + UUID.randomUUID();
        kafka.createTopics(1, topic, "order.cancelled.dlq"); // the relay checks every topic it publishes to at start-up
        var context = ApplicationContext.builder(OutboxRelayFunction.ENVIRONMENT).properties(Map.of(
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.username(),
                "datasources.default.password", pg.password(),
                "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "topics.order-created", topic,
                "relay.producer.linger-ms", "60000",
                "relay.producer.request-timeout-ms", "20000",
                "relay.producer.delivery-timeout-ms", "90000",
                "relay.claim-hold-limit", "120s",
                // The Lambda timeout stand-in must hold the safety margin plus this longer batch (RelayTimeBudget).
                "relay.max-duration", "130s")).start();
        var logs = new ListAppender<ILoggingEvent>();
        var invocationLog = (Logger) LoggerFactory.getLogger(RelayInvocation.class);
        logs.start();
        invocationLog.addAppender(logs);
        try (var function = new OutboxRelayFunction(context)) {
            DataSource dataSource = context.getBean(DataSource.class);
            OutboxSchema.migrate(dataSource);
            UUID id = UUID.randomUUID();
            try (var c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                new JdbcOutboxWriter().append(c, new OutboxMessage(id, "order", UUID.randomUUID().toString(),
                        "order.created", "/order-service/create-order-fn", "application/json", Instant.now(),
                        "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
                c.commit();
            }

            assertThatThrownBy(() -> function.handleRequest(new RelayTrigger("scheduler", null, null, null, null, "abandon", null),
                    new TestLambdaContext(Duration.ofSeconds(8))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no batch was acknowledged within the time left");

            assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage))
                    .singleElement().asString().contains("scheduler:abandon").contains("abandoned unmarked");
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("select count(*) from outbox_message where message_id = ? and status = 'PENDING'")) {
                s.setObject(1, id);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the row is still pending, to be sent again").isEqualTo(1);
                }
            }
            try (var c = dataSource.getConnection();
                    var s = c.prepareStatement("delete from outbox_message where message_id = ?")) {
                s.setObject(1, id); // its topic exists only for this test; other tests expect an empty backlog
                s.executeUpdate();
            }
        } finally {
            invocationLog.detachAppender(logs);
        }
    }
}
