package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How the poller reads a partial batch response: which offset each partition resumes from. */
class EsmResponseTest {

    private static final List<TopicPartition> BATCH =
            List.of(new TopicPartition("order.cancelled", 0), new TopicPartition("order.cancelled", 3));

    @Test
    void resumesEachReportedPartitionAtItsLowestFailedOffset() {
        var failed = EsmPoller.lowestFailedOffsets(bytes("""
                {"batchItemFailures":[
                  {"itemIdentifier":{"partition":"order.cancelled-3","offset":17}},
                  {"itemIdentifier":{"partition":"order.cancelled-3","offset":12}}]}"""), BATCH);

        assertThat(failed).containsExactly(java.util.Map.entry(new TopicPartition("order.cancelled", 3), 12L));
    }

    @Test
    void emptyOrMissingListMeansTheWholeBatchSucceeded() {
        assertThat(EsmPoller.lowestFailedOffsets(bytes("{\"batchItemFailures\":[]}"), BATCH)).isEmpty();
        assertThat(EsmPoller.lowestFailedOffsets(bytes("null"), BATCH)).isEmpty();
        assertThat(EsmPoller.lowestFailedOffsets(bytes("{}"), BATCH)).isEmpty();
    }

    @Test
    void acceptsANumericPartition() {
        var failed = EsmPoller.lowestFailedOffsets(
                bytes("{\"batchItemFailures\":[{\"itemIdentifier\":{\"partition\":0,\"offset\":5}}]}"), BATCH);

        assertThat(failed).containsEntry(new TopicPartition("order.cancelled", 0), 5L);
    }

    @Test
    void anIdentifierOutsideTheBatchFailsTheWholeBatch() {
        assertThatThrownBy(() -> EsmPoller.lowestFailedOffsets(bytes(
                "{\"batchItemFailures\":[{\"itemIdentifier\":{\"partition\":\"order.cancelled-9\",\"offset\":1}}]}"), BATCH))
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
