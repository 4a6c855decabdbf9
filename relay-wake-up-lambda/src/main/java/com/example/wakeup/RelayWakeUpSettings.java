package com.example.wakeup;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The writers' {@code relay-wake-up.*} settings (ADR 0014), bound once for every function that wakes the relay. The
 * values live in each function's {@code application.yml}.
 *
 * @param function         the relay alias ARN ({@code RELAY_WAKE_UP_FUNCTION}); blank: no wake-ups, the schedule alone
 * @param metricsNamespace CloudWatch namespace of the wake-up metrics
 * @param debounce         skip further wake-ups from this execution environment for this long after one
 * @param handOffWait      the longest a request waits for the watch read and the wake-up
 * @param timeout          bound of one invoke (connect, read, whole call)
 */
@ConfigurationProperties("relay-wake-up")
public record RelayWakeUpSettings(
        @Nullable String function,
        String metricsNamespace,
        Duration debounce,
        Duration handOffWait,
        Duration timeout) {
}
