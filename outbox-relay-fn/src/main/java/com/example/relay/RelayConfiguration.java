package com.example.relay;

import com.example.outbox.RelaySettings;
import com.example.outbox.RetryPolicy;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Duration;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.util.Validator;

/**
 * The relay's drain, time budget, watch and retry settings, {@code relay.*} in application.yml, whose
 * {@code ${ENV_VAR:default}} placeholders hold the only defaults (ADR 0018). The rules that involve the producer's
 * timeouts are checked by {@link RelayTimeBudget}.
 *
 * @param batchSize          rows per claim ({@code RELAY_BATCH_SIZE}), 1 to {@value #MAX_BATCH_SIZE}
 * @param safetyMargin       stop claiming full batches when this is left ({@code RELAY_SAFETY_MARGIN}); 0 or more
 * @param minTimeBudget      claim nothing with this or less left ({@code RELAY_MIN_TIME_BUDGET}); above
 *                           {@link RelaySettings#WRAP_UP}
 * @param idleLimit          a woken run polls an empty outbox this long ({@code RELAY_IDLE_LIMIT}); 0 or more
 * @param scheduledIdleLimit a scheduled run polls an empty outbox this long ({@code RELAY_SCHEDULED_IDLE_LIMIT}); 0 or more
 * @param watchLease         lease of the outbox watch (ADR 0014), renewed every third of it; above 0
 * @param idlePollMin        first poll interval while idle ({@code RELAY_IDLE_POLL_MIN}); above 0
 * @param idlePollMax        longest poll interval while idle ({@code RELAY_IDLE_POLL_MAX}); at least idlePollMin
 * @param outageBackoffMax   longest wait after a batch that met an unavailable broker or database; above 0
 * @param maxDuration        run length without a Lambda context, standing in for the Lambda timeout
 *                           ({@code RELAY_MAX_DURATION})
 * @param claimHoldLimit     PostgreSQL ends a claim idle this long ({@code RELAY_CLAIM_HOLD_LIMIT})
 * @param maxAttempts        broker rejections before a row is parked ({@code RELAY_MAX_ATTEMPTS}); 1 or more
 * @param retryBackoff       wait after the first rejection, doubling ({@code RELAY_RETRY_BACKOFF}); above 0
 * @param retryBackoffMax    upper bound of that wait ({@code RELAY_RETRY_BACKOFF_MAX}); at least retryBackoff
 * @param metricsNamespace   CloudWatch namespace of the EMF metrics ({@code RELAY_METRICS_NAMESPACE}); what the EMF
 *                           library accepts (1–256 of {@code [a-zA-Z0-9._#:/-]})
 * @throws io.micronaut.context.exceptions.ConfigurationException at start-up, naming every broken rule
 */
@Context
@Requires(property = "relay.batch-size") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("relay")
record RelayConfiguration(int batchSize, Duration safetyMargin, Duration minTimeBudget, Duration idleLimit,
        Duration scheduledIdleLimit, Duration watchLease, Duration idlePollMin, Duration idlePollMax,
        Duration outageBackoffMax, Duration maxDuration, Duration claimHoldLimit, int maxAttempts,
        Duration retryBackoff, Duration retryBackoffMax, String metricsNamespace) {

    /** Measured up to 5,000 (docs/benchmarks.md); a batch's rows are held in memory in one claim transaction. */
    static final int MAX_BATCH_SIZE = 10_000;

    RelayConfiguration {
        var rules = new ConfigurationRules()
                .between(batchSize, 1, MAX_BATCH_SIZE, "relay.batch-size (RELAY_BATCH_SIZE)")
                .notNegative(safetyMargin, "relay.safety-margin (RELAY_SAFETY_MARGIN)")
                .notNegative(idleLimit, "relay.idle-limit (RELAY_IDLE_LIMIT)")
                .notNegative(scheduledIdleLimit, "relay.scheduled-idle-limit (RELAY_SCHEDULED_IDLE_LIMIT)")
                .positive(watchLease, "relay.watch-lease")
                .positive(idlePollMin, "relay.idle-poll-min (RELAY_IDLE_POLL_MIN)")
                .positive(idlePollMax, "relay.idle-poll-max (RELAY_IDLE_POLL_MAX)")
                .positive(outageBackoffMax, "relay.outage-backoff-max")
                .positive(maxDuration, "relay.max-duration (RELAY_MAX_DURATION)")
                .positive(claimHoldLimit, "relay.claim-hold-limit (RELAY_CLAIM_HOLD_LIMIT)")
                .require(maxAttempts >= 1, "relay.max-attempts (RELAY_MAX_ATTEMPTS) must be at least 1, was " + maxAttempts)
                .positive(retryBackoff, "relay.retry-backoff (RELAY_RETRY_BACKOFF)")
                .positive(retryBackoffMax, "relay.retry-backoff-max (RELAY_RETRY_BACKOFF_MAX)");
        if (rules.present(minTimeBudget, "relay.min-time-budget (RELAY_MIN_TIME_BUDGET)")) {
            rules.require(minTimeBudget.compareTo(RelaySettings.WRAP_UP) > 0, "relay.min-time-budget"
                    + " (RELAY_MIN_TIME_BUDGET) must exceed the " + RelaySettings.WRAP_UP.toMillis()
                    + " ms kept to wrap a batch up, was " + minTimeBudget);
        }
        if (idlePollMin != null && idlePollMax != null) {
            rules.require(idlePollMax.compareTo(idlePollMin) >= 0, "relay.idle-poll-max (RELAY_IDLE_POLL_MAX) = "
                    + idlePollMax + " must be at least relay.idle-poll-min (RELAY_IDLE_POLL_MIN) = " + idlePollMin);
        }
        if (retryBackoff != null && retryBackoffMax != null) {
            rules.require(retryBackoffMax.compareTo(retryBackoff) >= 0, "relay.retry-backoff-max"
                    + " (RELAY_RETRY_BACKOFF_MAX) = " + retryBackoffMax + " must be at least relay.retry-backoff"
                    + " (RELAY_RETRY_BACKOFF) = " + retryBackoff);
        }
        try {
            Validator.validateNamespace(metricsNamespace);
        } catch (InvalidNamespaceException e) {
            rules.require(false, "relay.metrics-namespace (RELAY_METRICS_NAMESPACE): " + e.getMessage());
        }
        rules.check("relay");
    }

    /** The drain settings of a run woken by a writer (or anything but the schedule). */
    RelaySettings settings() {
        // One batch at a time: pipelining two was measured slower with the database and broker nearby
        // (docs/benchmarks.md).
        return new RelaySettings(batchSize, safetyMargin, idleLimit, idlePollMin, idlePollMax, outageBackoffMax, 1,
                minTimeBudget);
    }

    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, retryBackoff, retryBackoffMax);
    }
}
