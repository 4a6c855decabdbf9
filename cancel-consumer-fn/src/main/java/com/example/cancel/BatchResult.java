package com.example.cancel;

import java.util.List;

/**
 * What one event source mapping batch came to: the consumer's only result type. Its single reason to exist is that
 * one invocation has two readers, Lambda (the records to deliver again, {@link #response()}) and operators (the
 * counts, as metrics and a log line), and both must come from the same pass over the batch.
 *
 * <p>Every received record is counted exactly once: {@code received = applied + alreadyCancelled + duplicates +
 * deadLettered + retried()}.
 *
 * @param received          records in the batch
 * @param applied           cancellations that changed an order
 * @param alreadyCancelled  cancellations of an order that was already cancelled (recorded, nothing changed)
 * @param duplicates        records the inbox had already seen
 * @param deadLettered      poison records written to the dead-letter topic through the outbox
 * @param transientFailures records whose transaction failed for a reason outside the record (each stops its partition)
 * @param redeliver         the records Lambda must deliver again: each transiently failed record, the rest of its
 *                          partition, and any left for lack of time
 */
public record BatchResult(int received, int applied, int alreadyCancelled, int duplicates, int deadLettered,
        int transientFailures, List<KafkaBatchResponse.BatchItemFailure> redeliver) {

    public BatchResult {
        redeliver = List.copyOf(redeliver);
    }

    /** How many records go back to Lambda for redelivery. */
    public int retried() {
        return redeliver.size();
    }

    /** The partial batch response for Lambda (ADR 0023). */
    public KafkaBatchResponse response() {
        return new KafkaBatchResponse(redeliver);
    }

    /** The counts only: a batch can name thousands of records to redeliver, which a log line need not list. */
    @Override
    public String toString() {
        return "BatchResult[received=" + received + ", applied=" + applied + ", alreadyCancelled=" + alreadyCancelled
                + ", duplicates=" + duplicates + ", deadLettered=" + deadLettered + ", transientFailures="
                + transientFailures + ", retried=" + retried() + "]";
    }
}
