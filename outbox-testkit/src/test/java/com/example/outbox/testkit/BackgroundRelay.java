package com.example.outbox.testkit;

import com.example.outbox.MessagePublisher;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxRelay;
import com.example.outbox.RelayRun;
import com.example.outbox.RelaySettings;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link OutboxRelay} draining on its own thread until stopped: drain after drain, as consecutive Lambda
 * invocations do. Stopping makes the remaining time negative, so the running drain claims nothing more, records the
 * batches it has in flight and returns.
 */
final class BackgroundRelay implements RunningRelay {

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final FutureTask<RelayReport> task;
    private RelayReport report;

    BackgroundRelay(String name, OutboxClaimer claimer, MessagePublisher publisher, RelaySettings settings) {
        task = new FutureTask<>(() -> {
            long published = 0;
            long failures = 0;
            long claimsLost = 0;
            try (publisher) {
                var relay = new OutboxRelay(claimer, publisher, settings);
                while (!stopping.get()) {
                    RelayRun run = relay.drain(() -> stopping.get() ? -1 : Long.MAX_VALUE);
                    published += run.published();
                    failures += run.publishFailures();
                    claimsLost += run.claimsLost();
                }
            }
            return RelayReport.of(published, failures, claimsLost);
        });
        var thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized RelayReport stop() throws Exception {
        if (report == null) {
            stopping.set(true);
            try {
                report = task.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return report;
    }
}
