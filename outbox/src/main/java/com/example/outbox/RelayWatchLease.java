package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay run's watch on the outbox (see {@link RelayWatch} for the protocol): started when the run begins,
 * extended by a background heartbeat every third of the lease, and released either by {@link #release()} (before the
 * run's last look at the outbox) or by the heartbeat itself once the run's remaining time falls below
 * {@code releaseBelowMillis}. The early release matters for a run that stops because time ran out: it keeps claiming
 * for a while after the release, so every row committed before the release is still claimed by it, and every row
 * committed after it wakes another relay.
 *
 * <p>Failures to write the watch are logged and ignored: a missing watch only causes redundant wake-ups.
 */
public final class RelayWatchLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayWatchLease.class);

    private final RelayWatch watch;
    private final String relayId = UUID.randomUUID().toString();
    private final Duration lease;
    private final LongSupplier remainingMillis;
    private final long releaseBelowMillis;
    private final ScheduledExecutorService heartbeat;
    private boolean released;

    private RelayWatchLease(RelayWatch watch, Duration lease, LongSupplier remainingMillis, long releaseBelowMillis) {
        this.watch = Objects.requireNonNull(watch);
        this.lease = lease;
        this.remainingMillis = remainingMillis;
        this.releaseBelowMillis = releaseBelowMillis;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("relay-watch-heartbeat").daemon().factory());
    }

    /**
     * Starts watching now.
     *
     * @param lease              how far each heartbeat extends the watch; a run that dies stays "watching" this long
     * @param remainingMillis    the run's remaining time, e.g. Lambda's {@code getRemainingTimeInMillis}
     * @param releaseBelowMillis release once less than this is left (the relay's safety margin plus a little, so the
     *                           run still claims for a while after the release)
     */
    public static RelayWatchLease start(RelayWatch watch, Duration lease, LongSupplier remainingMillis,
            long releaseBelowMillis) {
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("lease must be at least 30 ms, was " + lease);
        }
        var watchLease = new RelayWatchLease(watch, lease, remainingMillis, releaseBelowMillis);
        watchLease.beat();
        long period = Math.max(10, lease.toMillis() / 3);
        synchronized (watchLease) {
            // A run that starts with less than releaseBelowMillis left has released in its first beat, which shut
            // the heartbeat down: scheduling then would throw RejectedExecutionException.
            if (!watchLease.released) {
                watchLease.heartbeat.scheduleWithFixedDelay(watchLease::beat, period, period, TimeUnit.MILLISECONDS);
            }
        }
        return watchLease;
    }

    private synchronized void beat() {
        if (released) {
            return;
        }
        if (remainingMillis.getAsLong() < releaseBelowMillis) {
            log.debug("Relay {} releases its watch: time is running out", relayId);
            release();
            return;
        }
        try {
            watch.watch(relayId, lease);
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not extend the relay watch (writers will wake relays meanwhile): {}", e.toString());
        }
    }

    /** Stops the heartbeat and ends the watch. Idempotent. */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        heartbeat.shutdown(); // cancels the periodic beat; a beat waiting for this lock then sees "released"
        try {
            watch.release(relayId);
        } catch (SQLException | RuntimeException e) {
            // The watch then expires after its lease; rows committed meanwhile wait for the schedule.
            log.warn("Could not release the relay watch (it expires within {}): {}", lease, e.toString());
        }
    }

    public synchronized boolean isReleased() {
        return released;
    }

    @Override
    public void close() {
        release();
    }
}
