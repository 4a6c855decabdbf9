package com.example.cancel;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.example.cancel.esm.EsmRecord;
import com.example.order.app.ApplyCancellation;
import com.example.order.app.CancelOrderCommand;
import com.example.order.app.CancellationOutcome;
import com.example.order.app.DeadLetter;
import com.example.order.app.DeadLetter.ErrorKind;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Applies one event source mapping batch, partition by partition, each partition in offset order.
 *
 * <p>Per record: read it; a usable cancellation goes to {@link ApplyCancellation#apply}, poison to
 * {@link ApplyCancellation#deadLetter}; both record the message in the inbox in the same transaction, so every
 * record ends as applied, no-op, duplicate or dead-lettered, exactly once. A record whose inbox key was already
 * recorded for other content (an event id reused) is dead-lettered, never skipped as a duplicate (ADR 0027). If the database refuses the record's
 * content (SQLSTATE class 22 or 54, see {@link ContentRejection}) the record is dead-lettered as
 * {@code UNSTORABLE_CONTENT}. Any other exception from that call (database unreachable, timeout, a bug, ...) is
 * transient: the record and everything after it in its partition are reported as batch item failures and the
 * partition stops there (so order is kept); other partitions carry on.
 */
@Singleton
class CancelBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(CancelBatchProcessor.class);

    /** How a transient failure reaches Lambda. */
    enum FailureReporting {
        /** {@code batchItemFailures}; needs {@code FunctionResponseTypes=["ReportBatchItemFailures"]} on the mapping. */
        PARTIAL_BATCH,
        /** Throw: Lambda retries the whole batch (use if the mapping cannot report item failures). */
        FAIL_INVOCATION
    }

    private final CancellationReader reader;
    private final ApplyCancellation applyCancellation;
    private final CancelMetrics metrics;
    private final String consumer;
    private final FailureReporting failureReporting;
    private final long timeReserveMillis;

    CancelBatchProcessor(CancellationReader reader, ApplyCancellation applyCancellation, CancelMetrics metrics,
            CancelConsumerConfiguration configuration) {
        this.reader = reader;
        this.applyCancellation = applyCancellation;
        this.metrics = metrics;
        this.consumer = configuration.consumerName();
        this.failureReporting = configuration.failureReporting();
        this.timeReserveMillis = configuration.timeReserveMs();
    }

    BatchResult process(KafkaEvent event, LongSupplier remainingMillis) {
        var tally = new Tally();
        var failures = new ArrayList<KafkaBatchResponse.BatchItemFailure>();
        RuntimeException firstTransient = null;
        Map<String, List<KafkaEvent.KafkaEventRecord>> partitions =
                event == null || event.getRecords() == null ? Map.of() : new TreeMap<>(event.getRecords());
        for (var partition : partitions.entrySet()) {
            List<KafkaEvent.KafkaEventRecord> records = new ArrayList<>(partition.getValue());
            // Lambda sends a partition's records in offset order; sorting makes that a guarantee here.
            records.sort(Comparator.comparingLong(KafkaEvent.KafkaEventRecord::getOffset));
            tally.received += records.size();
            for (int i = 0; i < records.size(); i++) {
                EsmRecord record = EsmRecord.from(partition.getKey(), records.get(i));
                if (remainingMillis.getAsLong() < timeReserveMillis) {
                    log.warn("Less than {} ms left: returning the rest of {} from offset {} for redelivery",
                            timeReserveMillis, partition.getKey(), record.offset());
                    deferRest(partition.getKey(), records, i, failures);
                    break;
                }
                try {
                    handle(record, tally);
                } catch (RuntimeException e) {
                    if (ContentRejection.sqlState(e) != null && deadLetterRejected(record, e, tally)) {
                        continue;
                    }
                    tally.transientFailures++;
                    firstTransient = firstTransient == null ? e : firstTransient;
                    log.error("Transient failure at {} offset {}; it and the rest of the partition go back to Lambda: {}",
                            partition.getKey(), record.offset(), e.toString(), e);
                    deferRest(partition.getKey(), records, i, failures);
                    break;
                } finally {
                    MDC.clear();
                }
            }
        }
        BatchResult result = tally.result(failures);
        metrics.emit(result, event == null ? null : event.getEventSource());
        log.info("Batch done: {}", result);
        if (!failures.isEmpty() && failureReporting == FailureReporting.FAIL_INVOCATION) {
            throw new TransientBatchFailure(failures.size() + " records must be redelivered", firstTransient);
        }
        return result;
    }

    private void handle(EsmRecord record, Tally tally) {
        Reading reading = reader.read(record);
        MDC.put("topic", record.topic());
        MDC.put("partition", Integer.toString(record.partition()));
        MDC.put("offset", Long.toString(record.offset()));
        MDC.put("messageKey", reading.inboxKey());
        putIfPresent("eventId", reading.eventId());
        putIfPresent("traceparent", reading.trace().traceparent());
        putIfPresent("traceId", traceId(reading.trace().traceparent()));
        putIfPresent("correlationId", reading.trace().correlationId());
        CancellationOutcome outcome;
        switch (reading) {
            case Reading.Cancellation c -> {
                MDC.put("orderId", c.orderId().toString());
                outcome = applyCancellation.apply(new CancelOrderCommand(consumer, c.inboxKey(), c.orderId(),
                        c.reason(), c.cancelledAt(), record.toReceivedMessage(), c.trace()));
                if (outcome == CancellationOutcome.DEAD_LETTERED) {
                    MDC.put("errorKind", ErrorKind.UNKNOWN_ORDER.name());
                    log.warn("Cancellation for unknown order {} dead-lettered", c.orderId());
                }
            }
            case Reading.Poison p -> {
                putIfPresent("orderId", p.orderId());
                MDC.put("errorKind", p.kind().name());
                outcome = applyCancellation.deadLetter(new DeadLetter(consumer, p.inboxKey(),
                        record.toReceivedMessage(), p.kind(), p.detail(),
                        Instant.now().truncatedTo(ChronoUnit.MICROS), p.trace()));
                if (outcome == CancellationOutcome.DEAD_LETTERED) {
                    log.warn("Poison record dead-lettered: {} {}", p.kind(), p.detail());
                }
            }
        }
        MDC.put("outcome", outcome.name());
        switch (outcome) {
            case APPLIED -> {
                tally.applied++;
                log.info("Order cancelled");
            }
            case ALREADY_CANCELLED -> {
                tally.alreadyCancelled++;
                log.info("Order was already cancelled; nothing changed");
            }
            case DUPLICATE -> {
                tally.duplicates++;
                log.info("Duplicate delivery skipped");
            }
            case UNVERIFIED_DUPLICATE -> {
                tally.duplicates++;
                log.warn("Duplicate delivery skipped; its inbox entry predates content fingerprints, so the content"
                        + " was not compared");
            }
            case ID_REUSED -> {
                tally.deadLettered++;
                MDC.put("errorKind", ErrorKind.ID_REUSED_WITH_DIFFERENT_CONTENT.name());
                log.warn("Inbox key already used by a message with other content: not applied, dead-lettered");
            }
            case IMPLAUSIBLE_TIME_DEAD_LETTERED -> {
                tally.deadLettered++;
                MDC.put("errorKind", ErrorKind.IMPLAUSIBLE_TIME.name());
                log.warn("Cancellation time is before the order was created or in the future: not applied, dead-lettered");
            }
            case DEAD_LETTERED -> tally.deadLettered++;
        }
    }

    /**
     * The record's transaction failed with an error that depends only on its content (ADR 0021): dead-letter it,
     * in a new transaction, under the key it would have had, and move on. A dead letter carries no text from the
     * record other than in its base64 payload, so this second transaction cannot fail the same way; if it fails
     * anyway the record stays transient (returns false).
     */
    private boolean deadLetterRejected(EsmRecord record, RuntimeException rejection, Tally tally) {
        String sqlState = ContentRejection.sqlState(rejection);
        String inboxKey;
        try {
            inboxKey = reader.read(record).inboxKey();
        } catch (RuntimeException bug) {
            rejection.addSuppressed(bug);
            return false;
        }
        String detail = "PostgreSQL refused the record's content (SQLSTATE " + sqlState + "): "
                + Utf8Text.abbreviate(String.valueOf(ContentRejection.message(rejection)), 400);
        try {
            CancellationOutcome outcome = applyCancellation.deadLetter(new DeadLetter(consumer, inboxKey,
                    record.toReceivedMessage(), ErrorKind.UNSTORABLE_CONTENT, detail,
                    Instant.now().truncatedTo(ChronoUnit.MICROS), null));
            MDC.put("errorKind", ErrorKind.UNSTORABLE_CONTENT.name());
            MDC.put("outcome", outcome.name());
            log.warn("Record refused by the database for its content, dead-lettered: {}", detail);
            if (outcome == CancellationOutcome.DUPLICATE || outcome == CancellationOutcome.UNVERIFIED_DUPLICATE) {
                tally.duplicates++;
            } else {
                tally.deadLettered++;
            }
            return true;
        } catch (RuntimeException second) {
            rejection.addSuppressed(second);
            return false;
        }
    }

    private static void deferRest(String partitionKey, List<KafkaEvent.KafkaEventRecord> records, int from,
            List<KafkaBatchResponse.BatchItemFailure> failures) {
        for (int j = from; j < records.size(); j++) {
            failures.add(new KafkaBatchResponse.BatchItemFailure(
                    new KafkaBatchResponse.ItemIdentifier(partitionKey, records.get(j).getOffset())));
        }
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace-id>-<span-id>-<flags>}), or null. */
    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length >= 4 && parts[1].length() == 32 ? parts[1] : null;
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private static final class Tally {
        int received;
        int applied;
        int alreadyCancelled;
        int duplicates;
        int deadLettered;
        int transientFailures;

        BatchResult result(List<KafkaBatchResponse.BatchItemFailure> redeliver) {
            return new BatchResult(received, applied, alreadyCancelled, duplicates, deadLettered, transientFailures,
                    redeliver);
        }
    }
}
