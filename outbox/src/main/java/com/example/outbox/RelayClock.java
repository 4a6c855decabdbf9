package com.example.outbox;

import java.time.Duration;

/**
 * Where the relay loop reads the time and how it waits: the idle limit, poll intervals, outage backoff and
 * the run's duration all go through it, so tests can drive the loop on a manual clock without real sleeping.
 * Lambda's remaining time is not read here; it comes from the caller ({@link OutboxRelay#drain}).
 */
public interface RelayClock {

    /** The system's monotonic clock and {@link Thread#sleep}. */
    RelayClock SYSTEM = new RelayClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration);
        }
    };

    /** Monotonic time in nanoseconds, like {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** Waits this long (zero or more). */
    void sleep(Duration duration) throws InterruptedException;
}
