package com.example.relay;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What started this invocation. One type reads both shapes the relay is invoked with:
 * <ul>
 *   <li>an EventBridge rule's {@code ScheduledEvent}: {@code {"source":"aws.events","detail-type":"Scheduled Event",
 *       "id":"...","time":"...",...}};</li>
 *   <li>EventBridge Scheduler's custom input, which Terraform sets to exactly
 *       {@code {"source":"scheduler","scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>"}};</li>
 *   <li>a writer's wake-up (ADR 0014): {@code {"source":"relay-wake-up","sentBy":"create-order"}};</li>
 *   <li>anything else, e.g. {@code {}} from a manual invoke.</li>
 * </ul>
 * The relay does the same work whatever the trigger, except how long it keeps watching an empty outbox
 * ({@link #isScheduled()}); the other fields only go into logs and the summary.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record RelayTrigger(
        String source,
        @JsonProperty("detail-type") String detailType,
        String id,
        String time,
        String scheduledTime,
        String executionId,
        String sentBy) {

    /** Whether the schedule (an EventBridge rule or Scheduler) started this run, rather than a wake-up or a person. */
    public boolean isScheduled() {
        return "aws.events".equals(source) || "scheduler".equals(source);
    }

    /** A short description for logs: {@code rule:<id>}, {@code scheduler:<executionId>} or the source. */
    public String describe() {
        if ("aws.events".equals(source)) {
            return "rule:" + id;
        }
        if ("scheduler".equals(source)) {
            return "scheduler:" + executionId;
        }
        if ("relay-wake-up".equals(source) && sentBy != null) {
            return "relay-wake-up:" + sentBy;
        }
        return source == null ? "unknown" : source;
    }

    /** When the schedule meant to fire, if it says so. */
    public String scheduledFor() {
        return scheduledTime != null ? scheduledTime : time;
    }
}
