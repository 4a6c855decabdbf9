package com.example.outbox.testkit;

/**
 * A relay instance a kit test started; it keeps publishing (including rows committed after it started) until
 * {@link #stop()}.
 */
public interface RunningRelay extends AutoCloseable {

    /**
     * Asks the relay to stop taking new work, waits until it has finished or abandoned what it holds, and returns
     * what it did. A relay that failed while running rethrows that failure here. Idempotent: later calls return the
     * same report.
     */
    RelayReport stop() throws Exception;

    /** {@link #stop()}, for try-with-resources. */
    @Override
    default void close() throws Exception {
        stop();
    }
}
