package com.example.relay;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Duration;

/**
 * What an idle relay run deletes, {@code relay.retention-*} in application.yml: only the relay's own published log; each
 * consumer trims its own inbox entries (ADR 0026).
 *
 * @param retentionAge       published-log entries ({@code outbox_published}) older than this are deleted
 *                           ({@code RELAY_RETENTION_AGE}); above 0
 * @param retentionBatchSize rows deleted per statement ({@code RELAY_RETENTION_BATCH_SIZE}), 1 to
 *                           {@value #MAX_RETENTION_BATCH_SIZE}
 * @param retentionBudget    time spent on the deletion per run ({@code RELAY_RETENTION_BUDGET}); above 0
 * @throws io.micronaut.context.exceptions.ConfigurationException at start-up, naming every broken rule
 */
@Context
@Requires(property = "relay.retention-age") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("relay")
record RetentionConfiguration(Duration retentionAge, int retentionBatchSize, Duration retentionBudget) {

    /** The budget is checked between delete statements, so one statement must stay small enough to end soon. */
    static final int MAX_RETENTION_BATCH_SIZE = 100_000;

    RetentionConfiguration {
        new ConfigurationRules()
                .positive(retentionAge, "relay.retention-age (RELAY_RETENTION_AGE)")
                .between(retentionBatchSize, 1, MAX_RETENTION_BATCH_SIZE,
                        "relay.retention-batch-size (RELAY_RETENTION_BATCH_SIZE)")
                .positive(retentionBudget, "relay.retention-budget (RELAY_RETENTION_BUDGET)")
                .check("retention");
    }
}
