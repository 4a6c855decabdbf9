package com.example.relay;

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

    void emit(RelaySummary summary) {
        // Always the Lambda environment: it prints to stdout and never probes the network for an agent.
        var metrics = new MetricsLogger(new LambdaEnvironment());
        metrics.setNamespace(namespace);
        metrics.setDimensions(DimensionSet.of("Service", "outbox-relay"));
        metrics.putMetric("EventsPublished", summary.published(), Unit.COUNT);
        metrics.putMetric("Batches", summary.batches(), Unit.COUNT);
        metrics.putMetric("PublishFailures", summary.publishFailures(), Unit.COUNT);
        metrics.putMetric("EventsParked", summary.parked(), Unit.COUNT);
        metrics.putMetric("ClaimsLost", summary.claimsLost(), Unit.COUNT);
        metrics.putMetric("EventsAbandoned", summary.abandoned(), Unit.COUNT);
        metrics.putMetric("BacklogSize", summary.backlog(), Unit.COUNT);
        metrics.putMetric("ParkedBacklog", summary.parkedTotal(), Unit.COUNT);
        metrics.putMetric("RelayLag", summary.relayLagMillis(), Unit.MILLISECONDS);
        metrics.putMetric("RetentionDeleted", summary.retentionDeleted(), Unit.COUNT);
        metrics.putProperty("trigger", summary.trigger());
        metrics.putProperty("stopReason", summary.stopReason());
        metrics.flush();
    }
}
