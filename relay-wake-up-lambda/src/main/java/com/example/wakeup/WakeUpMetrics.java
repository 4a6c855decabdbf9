package com.example.wakeup;

import com.example.outbox.RelayWakeUpOnCommit;
import java.time.Duration;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One CloudWatch Embedded Metric Format line per wake-up attempt, on stdout (Lambda ships it to CloudWatch Logs):
 * {@code RelayWakeUpsSent} or {@code RelayWakeUpFailures} (count) and {@code RelayWakeUpLatency} (ms), in the
 * function's namespace with dimension {@code Service}. Attempts are rare (only when no relay watches, at most one
 * per debounce interval), so a line each costs nothing. Alarm on {@code RelayWakeUpFailures}: the schedule still
 * delivers, but a minute late.
 */
public final class WakeUpMetrics implements RelayWakeUpOnCommit.Listener {

    private final String namespace;
    private final String service;

    public WakeUpMetrics(String namespace, String service) {
        this.namespace = namespace;
        this.service = service;
    }

    @Override
    public void sent(Duration took) {
        emit("RelayWakeUpsSent", took, null);
    }

    @Override
    public void failed(Exception cause, Duration took) {
        emit("RelayWakeUpFailures", took, cause);
    }

    private void emit(String counter, Duration took, Exception cause) {
        // The Lambda environment always prints to stdout; it never probes the network for a CloudWatch agent.
        var metrics = new MetricsLogger(new LambdaEnvironment());
        metrics.setNamespace(namespace);
        metrics.setDimensions(DimensionSet.of("Service", service));
        metrics.putMetric(counter, 1, Unit.COUNT);
        metrics.putMetric("RelayWakeUpLatency", took.toNanos() / 1e6, Unit.MILLISECONDS);
        if (cause != null) {
            metrics.putProperty("error", cause.toString());
        }
        metrics.flush();
    }
}
