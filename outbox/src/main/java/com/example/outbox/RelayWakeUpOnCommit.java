package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a relay after a transaction that appended outbox rows has committed, unless a relay is already watching
 * the outbox (ADR 0014). The commit has happened by then, so nothing here may fail or noticeably slow the caller:
 * <ul>
 *   <li>the watch read and the wake-up run on one background daemon thread; the caller waits for them at most
 *       {@link Settings#handOffWait()} and then returns whatever they are doing. Waiting a little matters on Lambda,
 *       which freezes the execution environment when the handler returns: a wake-up still in flight then either
 *       finishes after the next thaw or is lost, and the schedule remains the safety net;</li>
 *   <li>after a wake-up was sent (or failed), further ones from this instance are skipped for
 *       {@link Settings#debounce()} (per execution environment). The relay a wake-up starts watches for longer
 *       than that (its idle limit), so a skipped commit is covered by it;</li>
 *   <li>every failure is swallowed, logged and reported to the {@link Listener} (an EMF metric in the functions).</li>
 * </ul>
 * A check that <em>starts</em> after a commit covers that commit, so callers whose commits land while a check
 * is queued share it instead of queueing another.
 *
 * <p>Use: wrap the {@link OutboxWriter} with {@link #tracking}, and run each transaction through
 * {@link #afterCommitOf} (its supplier must commit before it returns normally, as
 * {@code Transactions.inTransaction} does). Thread-safe.
 */
public final class RelayWakeUpOnCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayWakeUpOnCommit.class);

    /**
     * @param debounce    after a wake-up was sent or failed, skip further ones for this long (per instance)
     * @param handOffWait longest time the committing thread waits for the watch read and wake-up to finish
     */
    public record Settings(Duration debounce, Duration handOffWait) {
        public Settings {
            if (debounce.isNegative() || handOffWait.isNegative()) {
                throw new IllegalArgumentException("debounce and handOffWait must not be negative");
            }
        }
    }

    /** Told about each wake-up attempt, on the background thread; must not throw. */
    public interface Listener {
        void sent(Duration took);

        void failed(Exception cause, Duration took);

        Listener NONE = new Listener() {
            @Override
            public void sent(Duration took) {
            }

            @Override
            public void failed(Exception cause, Duration took) {
            }
        };
    }

    /** What this instance did so far. */
    public record Counts(long sent, long failed, long skippedWatched, long skippedDebounced, long checks) {
    }

    private final RelayWatch watch;
    private final RelayWakeUp wakeUp;
    private final Settings settings;
    private final Listener listener;
    private final ExecutorService worker;
    private final ThreadLocal<Boolean> appended = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skippedWatched = new AtomicLong();
    private final AtomicLong skippedDebounced = new AtomicLong();
    private final AtomicLong checks = new AtomicLong();
    private CompletableFuture<Void> queued;
    private volatile long quietUntilNanos = System.nanoTime();

    public RelayWakeUpOnCommit(RelayWatch watch, RelayWakeUp wakeUp, Settings settings, Listener listener) {
        this.watch = Objects.requireNonNull(watch);
        this.wakeUp = Objects.requireNonNull(wakeUp);
        this.settings = Objects.requireNonNull(settings);
        this.listener = Objects.requireNonNull(listener);
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("relay-wake-up").daemon().factory());
    }

    /** {@code delegate}, noting on the calling thread that the current transaction appended outbox rows. */
    public OutboxWriter tracking(OutboxWriter delegate) {
        Objects.requireNonNull(delegate);
        return (transaction, message) -> {
            delegate.append(transaction, message);
            appended.set(Boolean.TRUE);
        };
    }

    /**
     * Runs {@code transaction} (which commits before it returns normally) and, if it appended outbox rows through a
     * {@link #tracking} writer on this thread, wakes a relay as described above. An exception from the transaction
     * propagates unchanged and wakes nothing.
     */
    public <T> T afterCommitOf(Supplier<T> transaction) {
        boolean outer = appended.get();
        appended.set(Boolean.FALSE);
        T result;
        boolean wrote;
        try {
            result = transaction.get();
        } finally {
            wrote = appended.get();
            appended.set(outer);
        }
        if (wrote) {
            committed();
        }
        return result;
    }

    /** Outbox rows were committed: wake a relay unless one watches (bounded by the hand-off wait, never throws). */
    public void committed() {
        if (System.nanoTime() - quietUntilNanos < 0) {
            skippedDebounced.incrementAndGet();
            return;
        }
        CompletableFuture<Void> check;
        synchronized (this) {
            if (queued == null) {
                queued = new CompletableFuture<>();
                try {
                    worker.execute(this::check);
                } catch (RuntimeException rejected) {
                    queued = null;
                    log.warn("Relay wake-up not scheduled: {}", rejected.toString());
                    return;
                }
            }
            check = queued;
        }
        try {
            check.get(settings.handOffWait().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Still running: it finishes in the background (or after the next thaw on Lambda).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // check() never completes exceptionally; nothing to do either way.
        }
    }

    private void check() {
        CompletableFuture<Void> mine;
        synchronized (this) {
            mine = queued;
            queued = null;
        }
        try {
            if (System.nanoTime() - quietUntilNanos < 0) {
                skippedDebounced.incrementAndGet();
                return;
            }
            checks.incrementAndGet();
            try {
                if (watch.isWatched()) {
                    skippedWatched.incrementAndGet();
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                // Cannot tell: waking a relay that turns out to be redundant is harmless.
                log.debug("Relay watch unreadable, waking a relay anyway: {}", e.toString());
            }
            long started = System.nanoTime();
            try {
                wakeUp.wakeUp();
                sent.incrementAndGet();
                listener.sent(Duration.ofNanos(System.nanoTime() - started));
            } catch (Exception e) {
                failed.incrementAndGet();
                log.warn("Relay wake-up failed (the schedule picks the rows up): {}", e.toString());
                listener.failed(e, Duration.ofNanos(System.nanoTime() - started));
            } finally {
                quietUntilNanos = System.nanoTime() + settings.debounce().toNanos();
            }
        } catch (RuntimeException | Error e) {
            log.warn("Relay wake-up check failed", e);
        } finally {
            mine.complete(null);
        }
    }

    public Counts counts() {
        return new Counts(sent.get(), failed.get(), skippedWatched.get(), skippedDebounced.get(), checks.get());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
