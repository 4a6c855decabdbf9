package com.example.cancel;

import jakarta.inject.Singleton;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One CloudWatch Embedded Metric Format line per invocation on stdout (Lambda ships it to CloudWatch Logs, which
 * extracts the metrics). Alarm on {@code TransientFailures} (the partition is stuck retrying) and
 * {@code DeadLettered} (producers send bad data).
 * {@code InboxEntriesDeleted} and {@code InboxRetentionFailures} come from a separate line per inbox retention pass;
 * alarm on {@code InboxRetentionFailures} (expired entries are not being deleted, ADR 0026).
 */
@Singleton
class CancelMetrics {

    static final String SERVICE = "cancel-consumer";
    /** Inbox entries one retention pass deleted (0 when it failed: what it deleted before failing is not known). */
    static final String INBOX_ENTRIES_DELETED = "InboxEntriesDeleted";
    /** 1 for a retention pass that failed, 0 for one that completed; Terraform alarms on its sum. */
    static final String INBOX_RETENTION_FAILURES = "InboxRetentionFailures";

    private final String namespace;

    CancelMetrics(CancelConsumerConfiguration configuration) {
        this.namespace = configuration.metricsNamespace();
    }

    void emit(BatchResult counts, String eventSource) {
        // The Lambda environment always prints to stdout; it never probes the network for a CloudWatch agent.
        var metrics = new MetricsLogger(new LambdaEnvironment());
        metrics.setNamespace(namespace);
        metrics.setDimensions(DimensionSet.of("Service", SERVICE));
        metrics.putMetric("RecordsReceived", counts.received(), Unit.COUNT);
        metrics.putMetric("CancellationsApplied", counts.applied(), Unit.COUNT);
        metrics.putMetric("AlreadyCancelled", counts.alreadyCancelled(), Unit.COUNT);
        metrics.putMetric("DuplicatesSkipped", counts.duplicates(), Unit.COUNT);
        metrics.putMetric("DeadLettered", counts.deadLettered(), Unit.COUNT);
        metrics.putMetric("TransientFailures", counts.transientFailures(), Unit.COUNT);
        metrics.putMetric("RecordsRetried", counts.retried(), Unit.COUNT);
        metrics.putProperty("eventSource", eventSource == null ? "unknown" : eventSource);
        metrics.flush();
    }

    /** One line per inbox retention pass that completed (at most one a minute per execution environment, ADR 0026). */
    void emitInboxRetention(int deleted) {
        emitInboxRetention(deleted, null);
    }

    /**
     * One line per inbox retention pass that failed with {@code error}: {@code InboxRetentionFailures} = 1, and
     * {@code InboxEntriesDeleted} = what its statements before the failure deleted (committed, so really gone).
     */
    void emitInboxRetentionFailure(int deletedBeforeFailure, Exception error) {
        emitInboxRetention(deletedBeforeFailure, error);
    }

    private void emitInboxRetention(int deleted, Exception error) {
        var metrics = new MetricsLogger(new LambdaEnvironment());
        metrics.setNamespace(namespace);
        metrics.setDimensions(DimensionSet.of("Service", SERVICE));
        metrics.putMetric(INBOX_ENTRIES_DELETED, deleted, Unit.COUNT);
        metrics.putMetric(INBOX_RETENTION_FAILURES, error == null ? 0 : 1, Unit.COUNT);
        if (error != null) {
            metrics.putProperty("error", error.toString());
        }
        metrics.flush();
    }
}
