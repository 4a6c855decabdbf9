package com.example.outbox.timing;

import com.example.outbox.RelayClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** A clock that only moves when the relay sleeps or a test advances it; records every sleep. */
final class ManualClock implements RelayClock {

    private long nanos = 1_000_000_000L;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) {
        if (duration.isNegative()) {
            throw new AssertionError("negative sleep " + duration);
        }
        sleeps.add(duration);
        advance(duration);
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }

    /** Lambda's remaining time for a run that ends {@code budget} from now on this clock. */
    LongSupplier remaining(Duration budget) {
        long deadline = nanos + budget.toNanos();
        return () -> (deadline - nanos) / 1_000_000;
    }

    Duration since(long startNanos) {
        return Duration.ofNanos(nanos - startNanos);
    }
}
