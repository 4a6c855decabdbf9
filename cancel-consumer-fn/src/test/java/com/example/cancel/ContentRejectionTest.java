package com.example.cancel;

import static com.example.cancel.CancelRecords.cancel;
import static com.example.cancel.CancelRecords.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failure classification against real PostgreSQL errors: SQLSTATE class 22 and 54 depend only on the record, so
 * they are poison (dead letter, partition moves on); anything else stays transient.
 */
class ContentRejectionTest {

    static CancelConsumerFunction function;
    static CancelBatchProcessor processor;

    @BeforeAll
    static void start() {
        var properties = new HashMap<>(TestDatabase.properties());
        properties.put("test.content-rejection", "true");
        function = new CancelConsumerFunction(ApplicationContext.run(properties));
        processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
    }

    @AfterAll
    static void stop() {
        ContentRejectionFixture.reject(null, 0);
        function.close();
    }

    static BatchResult run(EsmBatch batch) {
        return processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
    }

    @Test
    void aProgramLimitErrorDeadLettersTheRecordAndThePartitionMovesOn() throws Exception {
        String topic = topic("rejected-");
        UUID rejected = TestOrders.create();
        UUID next = TestOrders.create();
        String ceId = "rejected-" + topic;
        ContentRejectionFixture.reject(InboxKeys.ofEventId(ceId.getBytes(StandardCharsets.UTF_8)), 1);
        byte[] value = cancel(rejected, "r");
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, value,
                        List.of(Map.entry("ce_id", ceId.getBytes(StandardCharsets.UTF_8))))
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(next, "r"), List.of());

        BatchResult result = run(batch);

        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result).isEqualTo(new BatchResult(2, 1, 0, 0, 1, 0, List.of()));
        assertThat(TestOrders.status(rejected)).isEqualTo("CREATED");
        assertThat(TestOrders.status(next)).isEqualTo("CANCELLED");
        List<Map<String, Object>> letters = TestOrders.deadLetters(topic, 0, 1);
        assertThat(letters).hasSize(1);
        assertThat((String) letters.get(0).get("headers")).contains("\"dlq-error-kind\": \"UNSTORABLE_CONTENT\"",
                "SQLSTATE 54000", "index row size");
        JsonMapper json = function.getApplicationContext().getBean(JsonMapper.class);
        JsonNode payload = json.readValue((byte[]) letters.get(0).get("payload"), JsonNode.class);
        assertThat(java.util.Base64.getDecoder().decode(payload.get("value").getStringValue())).isEqualTo(value);
        assertThat(payload.get("messageKey").getStringValue()).isEqualTo("event:" + ceId);

        // Redelivery: the dead letter's inbox entry makes it a duplicate.
        assertThat(run(batch).duplicates()).isEqualTo(2);
    }

    @Test
    void ifTheDeadLetterFailsTooTheRecordStaysTransientAndIsAppliedLater() {
        String topic = topic("rejected-");
        UUID order = TestOrders.create();
        UUID after = TestOrders.create();
        ContentRejectionFixture.reject(InboxKeys.ofPosition(topic + "-0-5"), 2);
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 5, System.currentTimeMillis(), "CREATE_TIME", null, cancel(order, "r"), List.of())
                .add(topic, 0, 6, System.currentTimeMillis(), "CREATE_TIME", null, cancel(after, "r"), List.of());

        BatchResult first = run(batch);

        assertThat(first.transientFailures()).isEqualTo(1);
        assertThat(first.response().batchItemFailures()).extracting(f -> f.itemIdentifier().offset())
                .containsExactly(5L, 6L);
        assertThat(TestOrders.status(order)).isEqualTo("CREATED");
        assertThat(TestOrders.deadLetters(topic, 0, 5)).isEmpty();

        BatchResult retry = run(batch);
        assertThat(retry.response().batchItemFailures()).isEmpty();
        assertThat(TestOrders.status(order)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(after)).isEqualTo("CANCELLED");
    }

    @Test
    void realDatabaseErrorsAreClassifiedByTheirSqlState() throws Exception {
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            Throwable tooBig = catchThrowable(() -> {
                try (var s = c.prepareStatement("insert into inbox_message (consumer, message_key) values ('t', ?)")) {
                    s.setString(1, ContentRejectionFixture.unboundedKey("k"));
                    s.executeUpdate();
                }
            });
            c.rollback();
            assertThat(ContentRejection.sqlState(new RuntimeException(tooBig))).isEqualTo("54000");

            Throwable nul = catchThrowable(() -> {
                try (var s = c.prepareStatement("select ?::text")) {
                    s.setString(1, "a\u0000b");
                    s.executeQuery();
                }
            });
            c.rollback();
            assertThat(ContentRejection.sqlState(nul)).startsWith("22");

            Throwable divide = catchThrowable(() -> c.createStatement().executeQuery("select 1/0"));
            c.rollback();
            assertThat(ContentRejection.sqlState(divide)).isEqualTo("22012");

            Throwable deadlockLike = catchThrowable(() -> c.createStatement()
                    .execute("do $$ begin raise exception using errcode = '40001'; end $$"));
            c.rollback();
            assertThat(ContentRejection.sqlState(deadlockLike)).isNull();
        }
        Throwable unreachable = catchThrowable(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "x", "y").close());
        assertThat(unreachable).isNotNull();
        assertThat(ContentRejection.sqlState(unreachable)).isNull();
    }
}
