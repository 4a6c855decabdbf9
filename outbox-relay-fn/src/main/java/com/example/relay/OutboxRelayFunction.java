package com.example.relay;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.BeanProvider;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.function.LongSupplier;

/**
 * The relay Lambda: invoked by an EventBridge rule ({@code ScheduledEvent}), EventBridge Scheduler (custom JSON
 * input) or an optional nudge, it drains the outbox to Kafka until the outbox stays empty for the idle limit or
 * the invocation's remaining time falls to the minimum time budget, and returns a {@link RelaySummary}. An
 * invocation with too little time to publish anything throws instead (a function error; see {@link RelayInvocation}).
 * A thin adapter: the mechanics live in the outbox library ({@code com.example.outbox.OutboxRelay}). With the CDC
 * relay configured ({@code CDC_SLOT} set, ADR 0082) every invocation is refused: one relay per outbox.
 * <p>Its context runs in the Micronaut environment {@value #ENVIRONMENT}, the only one with the Kafka producer
 * ({@link PollingRelayOnly}); Lambda's context creates every singleton at init, so the producer is created, and the
 * topics checked, before the first invocation. A context passed in (tests) must activate the environment itself.
 */
public class OutboxRelayFunction extends MicronautRequestHandler<RelayTrigger, RelaySummary> {

    /** The Micronaut environment of the polling relay's context: the one where its Kafka beans exist. */
    public static final String ENVIRONMENT = "outbox-relay";

    // A provider: in CDC mode there is no invocation (no Kafka beans), only the refusal below.
    @Inject
    BeanProvider<RelayInvocation> invocation;

    @Inject
    RelayConfiguration configuration;

    @Inject
    CdcConfiguration cdc;

    public OutboxRelayFunction() {
    }

    public OutboxRelayFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return super.newApplicationContextBuilder().environments(ENVIRONMENT);
    }

    @Override
    public RelaySummary execute(RelayTrigger trigger) {
        if (cdc.cdcMode()) {
            // Two relays would publish every row twice, and this one would mark rows the CDC retention owns.
            throw new IllegalStateException("the CDC relay is the relay (CDC_SLOT=" + cdc.slot() + "): the polling"
                    + " relay does not run in this mode (ADR 0082)");
        }
        return invocation.get().run(trigger, remainingTime());
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
