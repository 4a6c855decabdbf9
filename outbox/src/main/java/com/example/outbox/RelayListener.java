package com.example.outbox;

import java.time.Duration;

/**
 * Told what a draining relay is doing, for work that must follow the loop without living in it (for example a
 * "relay is watching" heartbeat). Called on the relay's thread: keep each call short and let it not throw; an
 * exception ends the drain like any other (claimed rows are released unmarked).
 */
public interface RelayListener {

    /** Listens to nothing. */
    RelayListener NONE = new RelayListener() {
    };

    /**
     * Once per loop iteration, before the relay claims or waits: it is alive and will look at the outbox again
     * within the idle poll interval (at most {@link RelaySettings#idlePollMax()}) or the outage backoff.
     *
     * @param remaining time left in this run, as the caller's supplier reports it
     */
    default void looping(Duration remaining) {
    }

    /** Once, when the drain returns or throws; nothing is claimed any more. */
    default void stopped() {
    }
}
