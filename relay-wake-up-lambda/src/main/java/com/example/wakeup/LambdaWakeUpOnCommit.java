package com.example.wakeup;

import com.example.outbox.RelayWakeUpOnCommit;
import com.example.outbox.jdbc.JdbcRelayWatch;
import java.time.Duration;
import javax.sql.DataSource;

/** Builds the after-commit wake-up the two writing functions use: the watch in their database, a Lambda invoke, EMF metrics. */
public final class LambdaWakeUpOnCommit {

    private LambdaWakeUpOnCommit() {
    }

    /**
     * @param functionArn      the relay alias ARN ({@code RELAY_WAKE_UP_FUNCTION}); blank means "no wake-ups": the
     *                         function then relies on the schedule alone, and this returns {@code null}
     * @param sentBy           the sending function, for the relay's logs and the metric's {@code Service} dimension
     * @param metricsNamespace CloudWatch namespace of the wake-up metrics
     * @param debounce         skip further wake-ups from this environment for this long after one
     * @param handOffWait      the longest a request waits for the watch read and the wake-up
     * @param timeout          bound of one invoke (connect, read, whole call)
     */
    /** {@link #create(DataSource, String, String, String, Duration, Duration, Duration)} from the bound settings. */
    public static RelayWakeUpOnCommit create(DataSource dataSource, RelayWakeUpSettings settings, String sentBy) {
        return create(dataSource, settings.function(), sentBy, settings.metricsNamespace(), settings.debounce(),
                settings.handOffWait(), settings.timeout());
    }

    public static RelayWakeUpOnCommit create(DataSource dataSource, String functionArn, String sentBy,
            String metricsNamespace, Duration debounce, Duration handOffWait, Duration timeout) {
        if (functionArn == null || functionArn.isBlank()) {
            return null;
        }
        return new RelayWakeUpOnCommit(new JdbcRelayWatch(dataSource), new LambdaRelayWakeUp(functionArn, sentBy, timeout),
                new RelayWakeUpOnCommit.Settings(debounce, handOffWait), new WakeUpMetrics(metricsNamespace, sentBy));
    }
}
