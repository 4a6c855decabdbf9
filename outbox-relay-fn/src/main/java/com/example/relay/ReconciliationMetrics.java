package com.example.relay;

import com.example.relay.admin.Reconciliation;
import com.example.relay.admin.Reconciliation.Kind;
import jakarta.inject.Singleton;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One CloudWatch Embedded Metric Format line per reconciliation run (stdout, which Lambda ships to CloudWatch Logs,
 * which extracts the metrics). {@value #DRIFT} is the number the alarm pages on: any value above 0 is drift.
 *
 * <p>The names are constants, not configuration: the Terraform alarm names them literally and infra/checks
 * ({@code ReconciliationJobCheck}) reads these fields from the built jar, so the alarm cannot watch a metric the code
 * does not emit.
 */
@Singleton
public class ReconciliationMetrics {

    public static final String NAMESPACE = "OrderService/Reconciliation";
    public static final String DIMENSION_NAME = "Service";
    public static final String DIMENSION_VALUE = "outbox-reconciliation";
    /** All findings of a run (sum of the four below). */
    public static final String DRIFT = "Drift";
    public static final String ORDERS_WITHOUT_CREATED_EVENT = "OrdersWithoutCreatedEvent";
    public static final String UNPUBLISHED_TOO_LONG = "UnpublishedTooLong";
    public static final String ORDER_EVENTS_WITHOUT_ORDER = "OrderEventsWithoutOrder";
    /** CDC mode: the connector's replication slot is missing or nobody reads it (0 or 1). */
    public static final String CDC_SLOT_PROBLEMS = "CdcSlotProblems";

    void emit(Reconciliation.Report report, String trigger) {
        // Always the Lambda environment: it prints to stdout and never probes the network for an agent.
        var metrics = new MetricsLogger(new LambdaEnvironment());
        metrics.setNamespace(NAMESPACE);
        metrics.setDimensions(DimensionSet.of(DIMENSION_NAME, DIMENSION_VALUE));
        metrics.putMetric(DRIFT, report.findings().size(), Unit.COUNT);
        metrics.putMetric(ORDERS_WITHOUT_CREATED_EVENT, report.count(Kind.ORDER_WITHOUT_CREATED_EVENT), Unit.COUNT);
        metrics.putMetric(UNPUBLISHED_TOO_LONG, report.count(Kind.UNPUBLISHED_TOO_LONG), Unit.COUNT);
        metrics.putMetric(ORDER_EVENTS_WITHOUT_ORDER, report.count(Kind.ORDER_EVENT_WITHOUT_ORDER), Unit.COUNT);
        metrics.putMetric(CDC_SLOT_PROBLEMS, report.count(Kind.CDC_SLOT_MISSING) + report.count(Kind.CDC_SLOT_INACTIVE),
                Unit.COUNT);
        metrics.putProperty("trigger", trigger);
        metrics.putProperty("pendingThreshold", report.pendingThreshold().toString());
        metrics.putProperty("checkableWindow", report.checkableWindow().toString());
        metrics.flush();
    }
}
