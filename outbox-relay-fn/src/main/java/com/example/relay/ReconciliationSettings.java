package com.example.relay;

import com.example.relay.admin.Reconciliation;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * What the reconciliation job runs with, checked when the job starts (its init fails, so Lambda reports the error
 * before any run): {@link ReconciliationConfiguration}'s values, with the checkable window shorter than the relay's
 * retention age ({@link RetentionConfiguration#retentionAge()}, the same environment), by
 * {@link Reconciliation#windowBeyondRetention}'s rule. A window reaching past retention would report orders whose
 * events were published, and deleted from the published log since, as lost events.
 *
 * @throws io.micronaut.context.exceptions.ConfigurationException naming both settings and their values
 */
@Singleton
@Requires(property = "reconciliation.checkable-window") // only in this jar's context, not in another's sharing a class path
final class ReconciliationSettings {

    static final String RETENTION_AGE = "relay.retention-age (RELAY_RETENTION_AGE)";

    private final Duration pendingThreshold;
    private final Duration checkableWindow;

    ReconciliationSettings(ReconciliationConfiguration reconciliation, RetentionConfiguration retention) {
        var rules = new ConfigurationRules();
        Reconciliation.windowBeyondRetention(reconciliation.checkableWindow(),
                ReconciliationConfiguration.CHECKABLE_WINDOW, retention.retentionAge(), RETENTION_AGE)
                .ifPresent(broken -> rules.require(false, broken));
        rules.check("reconciliation");
        this.pendingThreshold = reconciliation.pendingThreshold();
        this.checkableWindow = reconciliation.checkableWindow();
    }

    Duration pendingThreshold() {
        return pendingThreshold;
    }

    Duration checkableWindow() {
        return checkableWindow;
    }
}
