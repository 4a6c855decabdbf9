package com.example.relay;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What the reconciliation job is invoked with: EventBridge Scheduler's input, which Terraform sets to
 * {@code {"source":"scheduler","scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>"}}.
 * Unknown fields are ignored, so an EventBridge rule's {@code ScheduledEvent} or a manual {@code {}} works too.
 *
 * <p>The job's parameters are configuration, not input: {@code RECONCILIATION_PENDING_THRESHOLD} and
 * {@code RECONCILIATION_CHECKABLE_WINDOW} ({@link ReconciliationConfiguration}), so the window is checked against the
 * retention age when the job starts. An input that still carries {@code pendingThreshold} or {@code checkableWindow}
 * (the schedule's input before they moved) is refused rather than ignored, so nobody believes a run used values it
 * did not use.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconciliationTrigger(String source, String scheduledTime, String executionId,
                                    String pendingThreshold, String checkableWindow) {

    /** A trigger with Scheduler's fields only. */
    public ReconciliationTrigger(String source, String scheduledTime, String executionId) {
        this(source, scheduledTime, executionId, null, null);
    }

    /** @throws IllegalArgumentException when the input carries the parameters that are configuration now */
    void requireNoParameters() {
        if (given(pendingThreshold) || given(checkableWindow)) {
            throw new IllegalArgumentException("the reconciliation job takes no pendingThreshold or checkableWindow in"
                    + " its input (got " + (given(pendingThreshold) ? "pendingThreshold=" + pendingThreshold + " " : "")
                    + (given(checkableWindow) ? "checkableWindow=" + checkableWindow : "").strip() + "): they are its"
                    + " configuration, " + ReconciliationConfiguration.PENDING_THRESHOLD + " and "
                    + ReconciliationConfiguration.CHECKABLE_WINDOW + ", checked against "
                    + ReconciliationSettings.RETENTION_AGE + " at start-up. For a one-off check with other values run"
                    + " the reconcile command");
        }
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
