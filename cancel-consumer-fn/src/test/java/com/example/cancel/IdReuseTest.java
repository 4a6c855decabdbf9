package com.example.cancel;

import static com.example.cancel.CancelRecords.deadLetter;
import static com.example.cancel.CancelRecords.orderIdOnly;
import static com.example.cancel.CancelRecords.topic;
import static com.example.cancel.CancelRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.app.DeadLetter;
import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ADR 0027, end to end through the real handler and the real PostgreSQL: two different messages that share an
 * event id are never one message. The first is applied; the other is dead-lettered as
 * {@code ID_REUSED_WITH_DIFFERENT_CONTENT} (never applied, never silently skipped) and counted in the
 * {@code DeadLettered} metric; byte-identical redeliveries of either stay duplicates.
 */
class IdReuseTest {

    static CancelConsumerFunction function;
    static CancelBatchProcessor processor;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        function = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
        json = function.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    /** The reviewer's reproduction: orders A and B, {"orderId":A} and {"orderId":B}, both with ce_id dup-1. */
    @Test
    void theReviewersReproductionDeadLettersBAndCancelsAOnce() throws IOException {
        UUID a = TestOrders.create();
        UUID b = TestOrders.create();
        String topic = topic("hostile-");
        // Event ids are global to the consumer: a fresh suffix keeps this run's "dup-1" apart from earlier runs'.
        String ceId = "dup-1-" + UUID.randomUUID();
        String batch = EsmBatch.msk("arn:aws:kafka:eu-west-1:123456789012:cluster/orders/x", "b-1:9098")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, orderIdOnly(a), List.of(Map.entry("ce_id", utf8(ceId))))
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, orderIdOnly(b), List.of(Map.entry("ce_id", utf8(ceId))))
                .toJson();

        String metrics = stdoutOf(() -> assertThat(LambdaRuntime.invoke(function, batch))
                .isEqualTo("{\"batchItemFailures\":[]}"));

        assertThat(TestOrders.row(a)).containsEntry("status", "CANCELLED").containsEntry("version", 1L);
        assertThat(TestOrders.row(b)).containsEntry("status", "CREATED").containsEntry("version", 0L);
        assertThat(TestOrders.deadLetters(topic, 0, 1)).as("A is applied, not dead-lettered").isEmpty();
        JsonNode letter = deadLetter(json, topic, 0, 2, DeadLetter.ErrorKind.ID_REUSED_WITH_DIFFERENT_CONTENT.name());
        assertThat(Base64.getDecoder().decode(letter.get("value").getStringValue())).isEqualTo(orderIdOnly(b));
        assertThat(letter.get("error").get("message").getStringValue())
                .startsWith("Inbox key event:" + ceId + " was already recorded for a message with other content")
                .contains("a cancellation of order " + b);
        assertThat(letter.get("messageKey").getStringValue()).startsWith("inbox.conflict-sha256:");
        assertThat(TestOrders.inboxEntries("event:" + ceId)).isOne();
        assertThat(TestOrders.inboxEntries(letter.get("messageKey").getStringValue())).isOne();
        assertThat(metric(metrics, "DeadLettered")).isEqualTo(1);
        assertThat(metric(metrics, "CancellationsApplied")).isEqualTo(1);
        assertThat(metric(metrics, "DuplicatesSkipped")).isZero();

        // Lambda delivers the same batch again (byte-identical): two duplicates, nothing new anywhere.
        BatchResult again = processor.process(LambdaRuntime.kafkaEvent(batch), () -> 60_000);
        assertThat(again).isEqualTo(new BatchResult(2, 0, 0, 2, 0, 0, List.of()));
        assertThat(TestOrders.deadLetters(topic, 0, 2)).hasSize(1);
        assertThat(TestOrders.row(a)).containsEntry("version", 1L);
        assertThat(TestOrders.row(b)).containsEntry("status", "CREATED");
    }

    /** The same event (value and CloudEvents headers) at another offset, with a new trace: a duplicate. */
    @Test
    void aByteIdenticalRedeliveryAtAnotherOffsetWithAnotherTraceIsStillADuplicate() {
        UUID order = TestOrders.create();
        String topic = topic("hostile-");
        String ceId = "same-" + UUID.randomUUID();
        List<Map.Entry<String, byte[]>> event = List.of(Map.entry("ce_id", utf8(ceId)),
                Map.entry("ce_source", utf8("/checkout")), Map.entry("ce_type", utf8("order.cancelled")),
                Map.entry("ce_specversion", utf8("1.0")), Map.entry("content-type", utf8("application/json")));
        var retried = new java.util.ArrayList<>(event);
        retried.add(Map.entry("traceparent", utf8("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
        BatchResult result = processor.process(LambdaRuntime.kafkaEvent(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", utf8(order.toString()), orderIdOnly(order), event)
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", utf8(order.toString()), orderIdOnly(order), event)
                .add(topic, 1, 9, 2L, "CREATE_TIME", null, orderIdOnly(order), retried.reversed())
                .toJson()), () -> 60_000);
        assertThat(result).isEqualTo(new BatchResult(3, 1, 0, 2, 0, 0, List.of()));
        assertThat(TestOrders.deadLetters(topic, 1, 9)).isEmpty();
        assertThat(TestOrders.row(order)).containsEntry("status", "CANCELLED").containsEntry("version", 1L);
    }

    /** One changed CloudEvents header is another message, even with the same value: dead-lettered, not skipped. */
    @Test
    void theSameValueWithAnotherCloudEventsHeaderUnderTheSameIdIsDeadLettered() throws IOException {
        UUID order = TestOrders.create();
        String topic = topic("hostile-");
        String ceId = "hdr-" + UUID.randomUUID();
        // Times after the order's creation (an earlier one would be IMPLAUSIBLE_TIME); the two differ by a second.
        Instant time = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        BatchResult result = processor.process(LambdaRuntime.kafkaEvent(EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, orderIdOnly(order), List.of(Map.entry("ce_id", utf8(ceId)),
                        Map.entry("ce_time", utf8(time.toString()))))
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, orderIdOnly(order), List.of(Map.entry("ce_id", utf8(ceId)),
                        Map.entry("ce_time", utf8(time.plusSeconds(1).toString()))))
                .toJson()), () -> 60_000);
        assertThat(result).isEqualTo(new BatchResult(2, 1, 0, 0, 1, 0, List.of()));
        deadLetter(json, topic, 0, 2, DeadLetter.ErrorKind.ID_REUSED_WITH_DIFFERENT_CONTENT.name());
    }

    /** What the handler printed on stdout (the EMF metrics line) while {@code work} ran. */
    private static String stdoutOf(Runnable work) {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    private static long metric(String emf, String name) {
        var m = Pattern.compile("\"" + name + "\":(\\d+)(\\.0)?[,}]").matcher(emf);
        assertThat(m.find()).as("metric %s in %s", name, emf).isTrue();
        return Long.parseLong(m.group(1));
    }
}
