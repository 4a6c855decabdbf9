package com.example.cancel;

/**
 * What one invocation did, record by record. {@code retried} counts the records reported back to Lambda
 * (the transiently failed ones plus the rest of their partitions, and any left for lack of time).
 */
public record BatchCounts(int received, int applied, int alreadyCancelled, int duplicates, int deadLettered,
        int transientFailures, int retried) {
}
