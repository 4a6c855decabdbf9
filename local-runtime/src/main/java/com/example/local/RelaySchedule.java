package com.example.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the EventBridge Scheduler schedule {@code rate(1 minute)} that targets the relay: every interval it
 * invokes the relay asynchronously with exactly the {@code Input} Terraform configures,
 * {@code {"source":"scheduler","scheduledTime":"…","executionId":"…"}}. Invocations run concurrently when they
 * overlap, as Lambda lets them. With the deployed defaults a scheduled run returns as soon as the outbox is empty;
 * events flow within milliseconds because writers wake the relay through the local Invoke API (ADR 0014), and this
 * schedule is the safety net, as on AWS.
 */
public final class RelaySchedule implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelaySchedule.class);

    private final LambdaFunction relay;
    private final ScheduledExecutorService timer;
    private volatile boolean closing;

    private RelaySchedule(LambdaFunction relay) {
        this.relay = relay;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("eventbridge-scheduler").daemon().factory());
    }

    /** Fires once now (the first scheduled time after deployment) and then every {@code interval}. */
    public static RelaySchedule start(LambdaFunction relay, Duration interval) {
        var schedule = new RelaySchedule(relay);
        schedule.timer.scheduleAtFixedRate(schedule::fire, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    static byte[] schedulerInput(Instant scheduledTime, String executionId) {
        return JsonNodeFactory.instance.objectNode()
                .put("source", "scheduler")
                .put("scheduledTime", scheduledTime.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("executionId", executionId)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    private void fire() {
        byte[] input = schedulerInput(Instant.now(), UUID.randomUUID().toString());
        // Asynchronous invocation (InvocationType=Event): the schedule does not wait for the relay to return.
        Thread.ofPlatform().name("relay-invocation").daemon().start(() -> {
            try {
                byte[] summary = relay.invoke(input);
                log.debug("relay returned {}", new String(summary, StandardCharsets.UTF_8));
            } catch (LambdaFunction.FunctionError | RuntimeException e) {
                if (closing) {
                    // On JVM exit each function's Micronaut context closes itself from its own shutdown hook.
                    log.debug("relay invocation ended by shutdown: {}", e.toString());
                } else if (e instanceof LambdaFunction.FunctionError error) {
                    // Scheduler would retry per its retry policy; the next tick does the same work anyway.
                    log.warn("relay invocation failed: {}", error.errorJson());
                } else {
                    log.warn("relay invocation failed", e);
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
