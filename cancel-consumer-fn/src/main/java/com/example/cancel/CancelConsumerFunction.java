package com.example.cancel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.function.LongSupplier;

/**
 * The cancel consumer Lambda, invoked by an Amazon MSK ({@code eventSource: aws:kafka}) or self-managed Kafka
 * ({@code SelfManagedKafka}) event source mapping on topic {@code order.cancelled}. A thin adapter: the batch
 * goes to {@link CancelBatchProcessor}, the rules live in order-core's {@code ApplyCancellation}; then, at most once a
 * minute, {@link ConsumerInboxRetention} trims this consumer's old inbox entries. Returns the partial batch response
 * naming the records Lambda must deliver again (none if all went well).
 */
public class CancelConsumerFunction extends MicronautRequestHandler<KafkaEvent, KafkaBatchResponse> {

    /** Lambda's limit on a synchronous invocation payload (6 MB): no part of an event can be longer. */
    static final int MAX_EVENT_CHARS = 6 * 1024 * 1024;

    /*
     * Kafka header names arrive as JSON member names, and Jackson refuses names over 50,000 characters by default
     * (StreamReadConstraints): one record with such a header (legal in Kafka, bounded only by the record size) made
     * the whole batch unreadable before any of our code ran, so its partition never moved. The runtime initialises
     * the handler class before it creates the event serializer, whose JsonFactory takes these defaults.
     */
    static {
        StreamReadConstraints.overrideDefaultStreamReadConstraints(
                StreamReadConstraints.builder().maxNameLength(MAX_EVENT_CHARS).build());
    }

    @Inject
    CancelBatchProcessor processor;

    @Inject
    ConsumerInboxRetention inboxRetention;

    public CancelConsumerFunction() {
    }

    public CancelConsumerFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    public KafkaBatchResponse execute(KafkaEvent event) {
        LongSupplier remaining = remainingTime();
        BatchResult result = processor.process(event, remaining);
        // The consumer trims its own inbox, after the batch and at most once a minute (ADR 0026).
        inboxRetention.afterBatch(result, remaining);
        return result.response();
    }

    private LongSupplier remainingTime() {
        var context = getApplicationContext().findBean(Context.class);
        if (context.isPresent()) {
            Context lambda = context.get();
            return lambda::getRemainingTimeInMillis;
        }
        return () -> Long.MAX_VALUE;
    }
}
