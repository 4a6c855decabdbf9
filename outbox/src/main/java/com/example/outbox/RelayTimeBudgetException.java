package com.example.outbox;

import java.time.Duration;

/**
 * A drain was asked to start with no more time than {@link RelaySettings#minimumBudget()}, the least in which it can
 * claim, publish and record one batch and still return. Nothing was claimed; pending rows stay pending for the next
 * run. Thrown, not returned, so a caller cannot mistake a run that could not work for a run that found nothing.
 */
public final class RelayTimeBudgetException extends IllegalStateException {

    private final Duration remaining;
    private final Duration minimumBudget;

    public RelayTimeBudgetException(Duration remaining, Duration minimumBudget) {
        super("relay started with " + remaining.toMillis() + " ms left, not more than its minimum time budget of "
                + minimumBudget.toMillis() + " ms: nothing was claimed or published");
        this.remaining = remaining;
        this.minimumBudget = minimumBudget;
    }

    /** Time left when the drain was asked to start. */
    public Duration remaining() {
        return remaining;
    }

    /** The least time a drain needs. */
    public Duration minimumBudget() {
        return minimumBudget;
    }
}
