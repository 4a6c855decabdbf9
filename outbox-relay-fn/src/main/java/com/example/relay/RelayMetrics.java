package com.example.relay;

import com.example.outbox.BacklogStats;
import com.example.outbox.RelayRun;
import jakarta.inject.Singleton;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One CloudWatch Embedded Metric Format line per invocation (written to stdout, which Lambda ships to
 * CloudWatch Logs, which extracts the metrics). {@code RelayLag} is the number to alarm on.
 */
@Singleton
class RelayMetrics {

    private final String namespace;

    RelayMetrics(RelayConfiguration relay) {
        this.namespace = relay.metricsNamespace();
    }

    void emit(RelayRun run, BacklogStats backlog, long retentionDeleted, String trigger) {
        // Always the Lambda environment: it prints to stdout and never probes the network for an agent.
        var metrics = new MetricsLogger(new LambdaEnvironment());
        metrics.setNamespace(namespace);
        metrics.setDimensions(DimensionSet.of("Service", "outbox-relay"));
        metrics.putMetric("EventsPublished", run.published(), Unit.COUNT);
        metrics.putMetric("Batches", run.batches(), Unit.COUNT);
        metrics.putMetric("PublishFailures", run.publishFailures(), Unit.COUNT);
        metrics.putMetric("EventsParked", run.parked(), Unit.COUNT);
        metrics.putMetric("ClaimsLost", run.claimsLost(), Unit.COUNT);
        metrics.putMetric("EventsAbandoned", run.abandoned(), Unit.COUNT);
        metrics.putMetric("BacklogSize", backlog.pending(), Unit.COUNT);
        metrics.putMetric("ParkedBacklog", backlog.parked(), Unit.COUNT);
        metrics.putMetric("RelayLag", backlog.oldestPendingAge().toMillis(), Unit.MILLISECONDS);
        metrics.putMetric("RetentionDeleted", retentionDeleted, Unit.COUNT);
        metrics.putProperty("trigger", trigger);
        metrics.putProperty("stopReason", run.stopReason().name());
        metrics.flush();
    }
}
