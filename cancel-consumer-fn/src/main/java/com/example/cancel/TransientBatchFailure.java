package com.example.cancel;

/**
 * Thrown (in {@code fail-invocation} mode) to fail the whole invocation so that Lambda retries the batch. Records
 * that were already applied are then skipped as duplicates by the inbox.
 */
public class TransientBatchFailure extends RuntimeException {

    public TransientBatchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
