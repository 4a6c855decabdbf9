package com.example.relay;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import java.time.Duration;

/**
 * The reconciliation job's parameters, {@code reconciliation.*} in application.yml (ADR 0071): the job reads them
 * from the environment it shares with the relay, so the checkable window and the retention age it must stay below
 * ({@code relay.retention-age}) are set in one place. Not {@code @Context}: only the job and the {@code reconcile}
 * command bind it, so a bad value never stops the relay; the job's start-up also checks the window against the
 * retention age ({@link ReconciliationSettings}).
 *
 * @param pendingThreshold how long an outbox row may stay unpublished before it is drift
 *                         ({@code RECONCILIATION_PENDING_THRESHOLD}); above 0
 * @param checkableWindow  how far back orders and order events are checked ({@code RECONCILIATION_CHECKABLE_WINDOW});
 *                         above 0 and below {@code relay.retention-age}
 * @throws io.micronaut.context.exceptions.ConfigurationException when bound, naming every broken rule
 */
@Requires(property = "reconciliation.checkable-window") // only in this jar's context, not in another's sharing a class path
@ConfigurationProperties("reconciliation")
record ReconciliationConfiguration(Duration pendingThreshold, Duration checkableWindow) {

    static final String PENDING_THRESHOLD = "reconciliation.pending-threshold (RECONCILIATION_PENDING_THRESHOLD)";
    static final String CHECKABLE_WINDOW = "reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW)";

    ReconciliationConfiguration {
        new ConfigurationRules()
                .positive(pendingThreshold, PENDING_THRESHOLD)
                .positive(checkableWindow, CHECKABLE_WINDOW)
                .check("reconciliation");
    }
}
