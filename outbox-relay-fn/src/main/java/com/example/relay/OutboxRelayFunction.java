package com.example.relay;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.function.LongSupplier;

/**
 * The relay Lambda: invoked by an EventBridge rule ({@code ScheduledEvent}), EventBridge Scheduler (custom JSON
 * input) or an optional nudge, it drains the outbox to Kafka until the outbox stays empty for the idle limit or
 * the invocation's remaining time falls to the minimum time budget, and returns a {@link RelaySummary}. An
 * invocation with too little time to publish anything throws instead (a function error; see {@link RelayInvocation}).
 * A thin adapter: the mechanics live in the outbox library ({@code com.example.outbox.OutboxRelay}).
 */
public class OutboxRelayFunction extends MicronautRequestHandler<RelayTrigger, RelaySummary> {

    @Inject
    RelayInvocation invocation;

    @Inject
    RelayConfiguration configuration;

    public OutboxRelayFunction() {
    }

    public OutboxRelayFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    public RelaySummary execute(RelayTrigger trigger) {
        return invocation.run(trigger, remainingTime());
    }

    private LongSupplier remainingTime() {
        var context = getApplicationContext().findBean(Context.class);
        if (context.isPresent()) {
            Context lambda = context.get();
            return lambda::getRemainingTimeInMillis;
        }
        long deadline = System.nanoTime() + configuration.maxDuration().toNanos();
        return () -> (deadline - System.nanoTime()) / 1_000_000;
    }
}
