package com.example.relay;

import com.example.relay.admin.Reconciliation;
import com.example.relay.admin.Reconciliation.Kind;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled reconciliation job, a second handler in the relay's artifact: runs the same drift check as the
 * {@code reconcile} command ({@link Reconciliation}), logs each finding, emits the drift metrics
 * ({@link ReconciliationMetrics}) and returns a {@link ReconciliationSummary}. Drift is reported, never a function
 * error; an unreachable database is a function error (no metric line, so the alarm's missing-data rule speaks).
 * With the CDC relay ({@code CDC_SLOT} set, ADR 0082) the slot check replaces "unpublished too long", as
 * {@code reconcile --cdc-slot} does. Its parameters are configuration ({@link ReconciliationSettings}: the checkable
 * window is checked against the relay's retention age at start-up), not input. Uses only the database: its context
 * lacks {@link OutboxRelayFunction#ENVIRONMENT}, so it creates no Kafka client ({@link PollingRelayOnly}).
 */
public class ReconciliationFunction extends MicronautRequestHandler<ReconciliationTrigger, ReconciliationSummary> {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationFunction.class);

    @Inject
    DataSource dataSource;

    @Inject
    ReconciliationMetrics metrics;

    @Inject
    CdcConfiguration cdc;

    /** Injected when the job starts, so a window reaching past the retention age fails its init. */
    @Inject
    ReconciliationSettings settings;

    public ReconciliationFunction() {
    }

    public ReconciliationFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    public ReconciliationSummary execute(ReconciliationTrigger trigger) {
        var in = trigger == null ? new ReconciliationTrigger(null, null, null) : trigger;
        in.requireNoParameters();
        Reconciliation.Report report;
        try {
            report = new Reconciliation(dataSource).run(settings.pendingThreshold(), settings.checkableWindow(),
                    cdc.slotOrNull());
        } catch (SQLException e) {
            throw new IllegalStateException("reconciliation could not read the database: " + e.getMessage(), e);
        }
        report.findings().forEach(f -> log.warn("drift: {}", f));
        String source = in.source() == null ? "unknown" : in.source();
        metrics.emit(report, in.executionId() == null ? source : source + ":" + in.executionId());
        var summary = new ReconciliationSummary(report.count(Kind.ORDER_WITHOUT_CREATED_EVENT),
                report.count(Kind.UNPUBLISHED_TOO_LONG), report.count(Kind.ORDER_EVENT_WITHOUT_ORDER),
                report.count(Kind.CDC_SLOT_MISSING) + report.count(Kind.CDC_SLOT_INACTIVE), report.findings().size(),
                report.pendingThreshold().toString(), report.checkableWindow().toString(), cdc.slotOrNull());
        log.info("reconciliation: {} ({})", report.drifted() ? "DRIFT" : "OK", summary);
        return summary;
    }
}
