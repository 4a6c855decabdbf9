package com.example.cancel;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The partial batch response of a Kafka (MSK or self-managed) event source mapping with
 * {@code FunctionResponseTypes = ["ReportBatchItemFailures"]}:
 *
 * <pre>{@code {"batchItemFailures":[{"itemIdentifier":{"partition":"order.cancelled-0","offset":15}}]}}</pre>
 *
 * {@code partition} is the key of the event's {@code records} map ({@code <topic>-<partition>}), {@code offset}
 * the record's offset. Lambda resumes each reported partition from its lowest reported offset; an empty list
 * means the whole batch succeeded. The AWS Java events library has no class for this (it has one for SQS and
 * streams, whose identifier is a plain string), hence this one. See ADR 0023.
 */
@Serdeable
public record KafkaBatchResponse(
        // Written even when empty: "{"batchItemFailures":[]}" says "all succeeded" unmistakably in logs.
        @JsonInclude(JsonInclude.Include.ALWAYS) List<BatchItemFailure> batchItemFailures) {

    public KafkaBatchResponse {
        batchItemFailures = batchItemFailures == null ? List.of() : List.copyOf(batchItemFailures);
    }

    public static KafkaBatchResponse success() {
        return new KafkaBatchResponse(List.of());
    }

    /** One record Lambda must deliver again (with everything after it in its partition). */
    @Serdeable
    public record BatchItemFailure(ItemIdentifier itemIdentifier) {
    }

    /** Kafka's item identifier: an object, not the string other event sources use. */
    @Serdeable
    public record ItemIdentifier(String partition, long offset) {
    }
}
