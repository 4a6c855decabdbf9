package com.example.cancel;

import static com.example.cancel.CancelRecords.cancel;
import static com.example.cancel.CancelRecords.topic;
import static com.example.cancel.CancelRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.order.app.DeadLetter;
import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The batch loop of {@link CancelBatchProcessor} against the real PostgreSQL: the time reserve (records left when
 * time runs short go back to Lambda, the rest of the batch untouched), the counts, the failure reporting modes and
 * the log fields operators search by (issue 14: these were the surviving mutants of the batch loop).
 */
class BatchLoopTest {

    static final long RESERVE = 3_000;

    static CancelConsumerFunction function;
    static CancelBatchProcessor processor;
    static CancelConsumerFunction failInvocation;

    ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() {
        var properties = new HashMap<>(TestDatabase.properties());
        properties.put("cancel-consumer.time-reserve-ms", Long.toString(RESERVE));
        function = new CancelConsumerFunction(ApplicationContext.run(properties));
        processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
        var failing = new HashMap<>(properties);
        failing.put("cancel-consumer.failure-reporting", "fail-invocation");
        failInvocation = new CancelConsumerFunction(ApplicationContext.run(failing));
    }

    @AfterAll
    static void stop() {
        function.close();
        failInvocation.close();
    }

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(CancelBatchProcessor.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(CancelBatchProcessor.class)).detachAppender(logs);
    }

    /** Hands out the given remaining times in order, then the last one again. */
    static LongSupplier remaining(long... millis) {
        Deque<Long> left = new ArrayDeque<>();
        for (long m : millis) {
            left.add(m);
        }
        return () -> left.size() > 1 ? left.poll() : left.peek();
    }

    static List<String> redelivered(BatchResult result) {
        return result.redeliver().stream()
                .map(f -> f.itemIdentifier().partition() + "@" + f.itemIdentifier().offset()).toList();
    }

    @Test
    void whenLessThanTheReserveIsLeftTheRestOfEveryPartitionGoesBackUntouched() {
        String topic = topic("loop-");
        UUID a = TestOrders.create();
        UUID b = TestOrders.create();
        UUID c = TestOrders.create();
        UUID d = TestOrders.create();
        UUID e = TestOrders.create();
        // Offsets out of order on purpose: the processor sorts a partition by offset.
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, cancel(c, "r"), List.of())
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, cancel(a, "r"), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(b, "r"), List.of())
                .add(topic, 1, 7, System.currentTimeMillis(), "CREATE_TIME", null, cancel(d, "r"), List.of())
                .add(topic, 1, 8, System.currentTimeMillis(), "CREATE_TIME", null, cancel(e, "r"), List.of());

        // Checked once before each record: 1 ms above the reserve, exactly the reserve (still enough), then 1 ms short.
        BatchResult result = processor.process(LambdaRuntime.kafkaEvent(batch.toJson()),
                remaining(RESERVE + 1, RESERVE, RESERVE - 1));

        assertThat(result.received()).isEqualTo(5);
        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.transientFailures()).isZero();
        assertThat(result.alreadyCancelled() + result.duplicates() + result.deadLettered()).isZero();
        assertThat(redelivered(result)).containsExactly(topic + "-0@3", topic + "-1@7", topic + "-1@8");
        assertThat(result.retried()).isEqualTo(3);
        assertThat(TestOrders.status(a)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(b)).isEqualTo("CANCELLED");
        assertThat(TestOrders.status(c)).isEqualTo("CREATED");
        assertThat(TestOrders.status(d)).isEqualTo("CREATED");
        assertThat(TestOrders.status(e)).isEqualTo("CREATED");
        assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                .contains("Less than 3000 ms left", topic + "-0", "offset 3"));

        // With time, the redelivery applies the rest, and the two already applied are duplicates.
        BatchResult again = processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
        assertThat(again).isEqualTo(new BatchResult(5, 3, 0, 2, 0, 0, List.of()));
    }

    @Test
    void outOfTimeInFailInvocationModeThrowsSoLambdaRetriesTheBatch() {
        String topic = topic("loop-");
        UUID a = TestOrders.create();
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, cancel(a, "r"), List.of());
        CancelBatchProcessor failing = failInvocation.getApplicationContext().getBean(CancelBatchProcessor.class);

        TransientBatchFailure thrown = catchThrowableOfType(TransientBatchFailure.class,
                () -> failing.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> RESERVE - 1));

        assertThat(thrown).hasMessage("1 records must be redelivered").hasNoCause();
        assertThat(TestOrders.status(a)).isEqualTo("CREATED");
        // Nothing to redeliver: the same mode returns normally.
        BatchResult done = failing.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
        assertThat(done).isEqualTo(new BatchResult(1, 1, 0, 0, 0, 0, List.of()));
    }

    @Test
    void anEmptyOrMissingBatchCountsNothing() {
        assertThat(processor.process(null, () -> 60_000)).isEqualTo(new BatchResult(0, 0, 0, 0, 0, 0, List.of()));
        assertThat(processor.process(LambdaRuntime.kafkaEvent(EsmBatch.selfManaged("k:9092").toJson()), () -> 60_000))
                .isEqualTo(new BatchResult(0, 0, 0, 0, 0, 0, List.of()));
    }

    @Test
    void anAppliedCancellationIsLoggedWithTheFieldsOperatorsSearchBy() {
        String topic = topic("loop-");
        UUID order = TestOrders.create();
        String ceId = "loop-" + UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 4, 42, System.currentTimeMillis(), "CREATE_TIME", null, cancel(order, "r"), List.of(
                        Map.entry("ce_id", utf8(ceId)),
                        Map.entry("traceparent", utf8(traceparent)),
                        Map.entry("x-correlation-id", utf8("corr-1"))));

        BatchResult result = processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);

        assertThat(result).isEqualTo(new BatchResult(1, 1, 0, 0, 0, 0, List.of()));
        Map<String, String> mdc = mdcOf("Order cancelled");
        assertThat(mdc).containsEntry("topic", topic).containsEntry("partition", "4").containsEntry("offset", "42")
                .containsEntry("messageKey", "event:" + ceId).containsEntry("eventId", ceId)
                .containsEntry("traceparent", traceparent).containsEntry("traceId", traceId)
                .containsEntry("correlationId", "corr-1").containsEntry("orderId", order.toString())
                .containsEntry("outcome", "APPLIED").doesNotContainKey("errorKind");
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();

        processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
        assertThat(mdcOf("Duplicate delivery skipped")).containsEntry("outcome", "DUPLICATE");
    }

    @Test
    void anAlreadyCancelledOrderAndAnUnknownOrderAreLoggedAsSuch() {
        String topic = topic("loop-");
        UUID order = TestOrders.create();
        UUID unknown = UUID.randomUUID();
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, cancel(order, "r"), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(order, "r"), List.of())
                .add(topic, 0, 3, System.currentTimeMillis(), "CREATE_TIME", null, cancel(unknown, "r"), List.of());

        BatchResult result = processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);

        assertThat(result).isEqualTo(new BatchResult(3, 1, 1, 0, 1, 0, List.of()));
        assertThat(mdcOf("Order was already cancelled; nothing changed"))
                .containsEntry("outcome", "ALREADY_CANCELLED").containsEntry("offset", "2")
                .containsEntry("messageKey", "offset:" + topic + "-0-2").doesNotContainKey("traceId");
        assertThat(mdcOf("Cancellation for unknown order " + unknown + " dead-lettered"))
                .containsEntry("errorKind", DeadLetter.ErrorKind.UNKNOWN_ORDER.name()).containsEntry("orderId", unknown.toString());
        assertThat(TestOrders.deadLetters(topic, 0, 3)).hasSize(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndLoggedWithItsKind() {
        String topic = topic("loop-");
        EsmBatch batch = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, utf8("{\"orderId\":\"not-a-uuid\",\"reason\":\"r\"}"),
                        List.of());

        BatchResult result = processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);

        assertThat(result).isEqualTo(new BatchResult(1, 0, 0, 0, 1, 0, List.of()));
        ILoggingEvent warn = logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("Poison record dead-lettered: ")).findFirst()
                .orElseThrow();
        assertThat(warn.getMDCPropertyMap()).containsEntry("errorKind", "INVALID_ORDER_ID")
                .containsEntry("messageKey", "offset:" + topic + "-0-1").containsEntry("offset", "1");
        assertThat(warn.getFormattedMessage()).contains("INVALID_ORDER_ID");
        assertThat(TestOrders.deadLetters(topic, 0, 1)).hasSize(1);

        // Redelivered: a duplicate, not a second dead letter, and not logged as one.
        logs.list.clear();
        assertThat(processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000))
                .isEqualTo(new BatchResult(1, 0, 0, 1, 0, 0, List.of()));
        assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("Poison record"));
        assertThat(TestOrders.deadLetters(topic, 0, 1)).hasSize(1);
    }

    @Test
    void traceIdIsTheSecondFieldOfAWellFormedTraceparent() {
        String id = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertThat(CancelBatchProcessor.traceId(null)).isNull();
        assertThat(CancelBatchProcessor.traceId("00-" + id + "-00f067aa0ba902b7-01")).isEqualTo(id);
        assertThat(CancelBatchProcessor.traceId("00-" + id + "-00f067aa0ba902b7")).isNull();
        assertThat(CancelBatchProcessor.traceId("00-" + id.substring(1) + "-00f067aa0ba902b7-01")).isNull();
        assertThat(CancelBatchProcessor.traceId("00-" + id + "0-00f067aa0ba902b7-01")).isNull();
    }

    private Map<String, String> mdcOf(String message) {
        return logs.list.stream().filter(e -> e.getFormattedMessage().equals(message)).reduce((x, y) -> y)
                .map(ILoggingEvent::getMDCPropertyMap).orElseThrow(() -> new AssertionError(
                        "no log line '" + message + "' in " + logs.list.stream()
                                .map(ILoggingEvent::getFormattedMessage).toList()));
    }
}
