package com.example.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for an EventBridge Scheduler schedule: every interval it invokes a function asynchronously with exactly
 * the {@code Input} Terraform configures. As in Terraform:
 * <ul>
 *   <li>{@link #relay}: {@code rate(1 minute)} on the relay with {@code {"source":"scheduler","scheduledTime":"…",
 *       "executionId":"…"}}. With the deployed defaults a scheduled run returns as soon as the outbox is empty; events
 *       flow within milliseconds because writers wake the relay through the local Invoke API (ADR 0014), and this
 *       schedule is the safety net, as on AWS;</li>
 *   <li>{@link #reconciliation}: the reconciliation job (ADR 0071) with the same input (its pending threshold and
 *       checkable window are the functions' environment, {@code RECONCILIATION_*}, as deployed); each run's drift is
 *       printed (a warning when there is any), where AWS would raise the alarm;</li>
 *   <li>{@link #cdcRetention}: with the CDC relay only, the CDC retention job (ADR 0082) with the relay's input.</li>
 * </ul>
 * Invocations run concurrently when they overlap, as Lambda lets them.
 */
public final class ScheduledInvocations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduledInvocations.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final LambdaFunction function;
    private final Function<Instant, byte[]> input;
    private final Consumer<byte[]> onResult;
    private final ScheduledExecutorService timer;
    private volatile boolean closing;

    private ScheduledInvocations(LambdaFunction function, Function<Instant, byte[]> input, Consumer<byte[]> onResult) {
        this.function = function;
        this.input = input;
        this.onResult = onResult;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("eventbridge-scheduler-" + function.name()).daemon().factory());
    }

    /** The relay's schedule: fires once now (the first scheduled time after deployment) and then every {@code interval}. */
    public static ScheduledInvocations relay(LambdaFunction relay, Duration interval) {
        return start(new ScheduledInvocations(relay, now -> schedulerInput(now, UUID.randomUUID().toString()).toString()
                .getBytes(StandardCharsets.UTF_8),
                summary -> log.debug("relay returned {}", new String(summary, StandardCharsets.UTF_8))), Duration.ZERO, interval);
    }

    /** The reconciliation job's schedule: first run after {@code interval}, then every {@code interval}. */
    public static ScheduledInvocations reconciliation(LambdaFunction job, Duration interval) {
        return start(new ScheduledInvocations(job, ScheduledInvocations::reconciliationInput,
                ScheduledInvocations::reportDrift), interval, interval);
    }

    /**
     * The CDC retention job's schedule (ADR 0082): first run after {@code interval}, then every {@code interval}, with
     * the input Terraform's schedule sends (Scheduler's shape of {@code RelayTrigger}).
     */
    public static ScheduledInvocations cdcRetention(LambdaFunction job, Duration interval) {
        return start(new ScheduledInvocations(job, now -> schedulerInput(now, UUID.randomUUID().toString()).toString()
                .getBytes(StandardCharsets.UTF_8),
                summary -> log.info("CDC retention: {}", new String(summary, StandardCharsets.UTF_8))), interval, interval);
    }

    /** What Terraform's reconciliation schedule sends: Scheduler's input, as the relay's. */
    static byte[] reconciliationInput(Instant scheduledTime) {
        return schedulerInput(scheduledTime, UUID.randomUUID().toString()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ScheduledInvocations start(ScheduledInvocations schedule, Duration first, Duration interval) {
        schedule.timer.scheduleAtFixedRate(schedule::fire, first.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    /** The Scheduler target input Terraform configures, with its placeholders filled in (ADR 0042). */
    public static ObjectNode schedulerInput(Instant scheduledTime, String executionId) {
        return JsonNodeFactory.instance.objectNode()
                .put("source", "scheduler")
                .put("scheduledTime", scheduledTime.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("executionId", executionId);
    }

    /** The job's summary JSON ({@code ReconciliationSummary}): drift is a warning, no drift a debug line. */
    private static void reportDrift(byte[] summary) {
        String json = new String(summary, StandardCharsets.UTF_8);
        long drift;
        try {
            drift = JSON.readTree(summary).path("drift").asLong(-1);
        } catch (java.io.IOException e) {
            drift = -1;
        }
        if (drift == 0) {
            log.debug("reconciliation: no drift {}", json);
        } else {
            log.warn("reconciliation found DRIFT (on AWS the drift alarm pages): {}", json);
        }
    }

    private void fire() {
        byte[] event = input.apply(Instant.now());
        // Asynchronous invocation (InvocationType=Event): the schedule does not wait for the function to return.
        Thread.ofPlatform().name(function.name() + "-invocation").daemon().start(() -> {
            try {
                onResult.accept(function.invoke(event));
            } catch (LambdaFunction.FunctionError | RuntimeException e) {
                if (closing) {
                    // On JVM exit each function's Micronaut context closes itself from its own shutdown hook.
                    log.debug("{} invocation ended by shutdown: {}", function.name(), e.toString());
                } else if (e instanceof LambdaFunction.FunctionError error) {
                    // Scheduler would retry per its retry policy; the next tick does the same work anyway.
                    log.warn("{} invocation failed: {}", function.name(), error.errorJson());
                } else {
                    log.warn("{} invocation failed", function.name(), e);
                }
            }
        });
    }

    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
    }
}
