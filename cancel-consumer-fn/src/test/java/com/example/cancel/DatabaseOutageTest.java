package com.example.cancel;

import static com.example.cancel.CancelRecords.cancel;
import static com.example.cancel.CancelRecords.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The database really goes away in the middle of a batch (server stopped), then comes back. */
class DatabaseOutageTest {

    CancelConsumerFunction function;

    @AfterEach
    void stop() {
        DatabaseOutage.disarm();
        if (function != null) {
            function.close();
        }
    }

    CancelConsumerFunction start(String failureReporting) {
        var properties = new HashMap<>(TestDatabase.properties());
        properties.put("test.database-outage", "true");
        properties.put("cancel-consumer.failure-reporting", failureReporting);
        function = new CancelConsumerFunction(ApplicationContext.run(properties));
        return function;
    }

    @Test
    void failedRecordAndTheRestOfItsPartitionAreReportedAndRedeliveryAppliesEachExactlyOnce() {
        start("partial-batch");
        String topic = topic("outage-");
        UUID[] p0 = {TestOrders.create(), TestOrders.create(), TestOrders.create(), TestOrders.create()};
        UUID[] p1 = {TestOrders.create(), TestOrders.create()};
        var batch = EsmBatch.selfManaged("k:9092");
        for (int i = 0; i < p0.length; i++) {
            batch.add(topic, 0, 100 + i, System.currentTimeMillis(), "CREATE_TIME", null, cancel(p0[i], "outage test"), List.of());
        }
        for (int i = 0; i < p1.length; i++) {
            batch.add(topic, 1, 500 + i, System.currentTimeMillis(), "CREATE_TIME", null, cancel(p1[i], "outage test"), List.of());
        }
        String event = batch.toJson();

        // Partition 0 goes first: its 1st record commits, the server dies before the 2nd.
        DatabaseOutage.armBefore(2);
        String response = LambdaRuntime.invoke(function, event);

        assertThat(response).isEqualTo("{\"batchItemFailures\":["
                + "{\"itemIdentifier\":{\"partition\":\"" + topic + "-0\",\"offset\":101}},"
                + "{\"itemIdentifier\":{\"partition\":\"" + topic + "-0\",\"offset\":102}},"
                + "{\"itemIdentifier\":{\"partition\":\"" + topic + "-0\",\"offset\":103}}]}");
        assertThat(TestOrders.status(p0[0])).isEqualTo("CANCELLED");
        for (int i = 1; i < p0.length; i++) {
            assertThat(TestOrders.status(p0[i])).as("p0[%d] must wait for redelivery", i).isEqualTo("CREATED");
            assertThat(TestOrders.inboxEntries("offset:" + topic + "-0-" + (100 + i))).isZero();
        }
        // The server is back by then: the other partition carried on.
        for (UUID order : p1) {
            assertThat(TestOrders.status(order)).isEqualTo("CANCELLED");
        }

        // Lambda redelivers the whole batch (it may; or only from offset 101 - both must be right).
        BatchResult redelivery = new CancelConsumerFunctionTest.CancelBatchProcessorAccess(function).process(event);

        assertThat(redelivery).isEqualTo(new BatchResult(6, 3, 0, 3, 0, 0, List.of()));
        for (UUID order : List.of(p0[0], p0[1], p0[2], p0[3], p1[0], p1[1])) {
            Map<String, Object> row = TestOrders.row(order);
            assertThat(row.get("status")).isEqualTo("CANCELLED");
            assertThat(row.get("version")).as("applied exactly once").isEqualTo(1L);
        }
        for (int i = 0; i < p0.length; i++) {
            assertThat(TestOrders.inboxEntries("offset:" + topic + "-0-" + (100 + i))).isEqualTo(1);
        }
    }

    @Test
    void failInvocationModeThrowsSoLambdaRetriesTheWholeBatch() {
        start("fail-invocation");
        String topic = topic("outage-");
        UUID first = TestOrders.create();
        UUID second = TestOrders.create();
        String event = EsmBatch.selfManaged("k:9092")
                .add(topic, 0, 1, System.currentTimeMillis(), "CREATE_TIME", null, cancel(first, "outage test"), List.of())
                .add(topic, 0, 2, System.currentTimeMillis(), "CREATE_TIME", null, cancel(second, "outage test"), List.of())
                .toJson();

        DatabaseOutage.armBefore(2);
        assertThatThrownBy(() -> LambdaRuntime.invoke(function, event)).isInstanceOf(TransientBatchFailure.class);
        assertThat(TestOrders.status(second)).isEqualTo("CREATED");

        assertThat(LambdaRuntime.invoke(function, event)).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(TestOrders.row(first).get("version")).isEqualTo(1L);
        assertThat(TestOrders.row(second).get("version")).isEqualTo(1L);
    }
}
