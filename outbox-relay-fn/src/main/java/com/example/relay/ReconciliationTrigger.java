package com.example.relay;

import com.example.relay.admin.Reconciliation;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * What the reconciliation job is invoked with: EventBridge Scheduler's input, which Terraform sets to
 * {@code {"source":"scheduler","scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>",
 * "pendingThreshold":"PT5M","checkableWindow":"P6D"}}. The two durations are ISO-8601, the same parameters the
 * {@code reconcile} command takes; absent ones take {@link Reconciliation}'s defaults. Unknown fields are ignored, so an
 * EventBridge rule's {@code ScheduledEvent} or a manual {@code {}} works too.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconciliationTrigger(String source, String scheduledTime, String executionId,
                                    String pendingThreshold, String checkableWindow) {

    /** @throws IllegalArgumentException when a duration is given but is not ISO-8601 (a function error, not a guess) */
    public Duration pendingThresholdOrDefault() {
        return duration("pendingThreshold", pendingThreshold, Reconciliation.DEFAULT_PENDING_THRESHOLD);
    }

    /** @throws IllegalArgumentException when a duration is given but is not ISO-8601 */
    public Duration checkableWindowOrDefault() {
        return duration("checkableWindow", checkableWindow, Reconciliation.DEFAULT_CHECKABLE_WINDOW);
    }

    private static Duration duration(String field, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, not " + value);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 duration such as PT5M, not " + value, e);
        }
    }
}
