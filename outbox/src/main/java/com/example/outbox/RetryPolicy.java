package com.example.outbox;

import java.time.Duration;

/**
 * How rejected messages are retried before they are parked.
 *
 * @param maxAttempts  a message is parked when the broker rejected it this many times
 * @param firstBackoff wait before the second attempt; doubles after each rejection
 * @param maxBackoff   upper bound on the wait
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    /**
     * Park after 5 rejections, backoff 1 s doubling up to 5 min: what the relay function deploys with (its test
     * {@code RelayConfigurationTest} fails if they differ).
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Backoff after {@code attempts} rejections (1 = first). */
    public Duration backoffAfter(int attempts) {
        long millis = firstBackoff.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
