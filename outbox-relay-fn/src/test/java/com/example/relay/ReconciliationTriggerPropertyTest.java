package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.relay.admin.Reconciliation;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The reconciliation job's thresholds come from the schedule's input JSON: every positive ISO-8601 duration is read
 * back exactly, absent or blank means the default, and anything else is refused (never guessed). Fixed seed, printed
 * in jqwik's report.
 */
class ReconciliationTriggerPropertyTest {

    private static final String SEED = "20261130";

    @Property(tries = 200, seed = SEED)
    void everyPositiveDurationIsReadBackExactly(@ForAll @LongRange(min = 1, max = 10L * 365 * 24 * 3600 * 1000) long millis) {
        Duration given = Duration.ofMillis(millis);
        var trigger = new ReconciliationTrigger("scheduler", null, null, given.toString(), given.toString());
        assertThat(trigger.pendingThresholdOrDefault()).isEqualTo(given);
        assertThat(trigger.checkableWindowOrDefault()).isEqualTo(given);
    }

    @Property(tries = 200, seed = SEED)
    void zeroOrNegativeDurationsAreRefused(@ForAll @LongRange(min = -10L * 365 * 24 * 3600 * 1000, max = 0) long millis) {
        var trigger = new ReconciliationTrigger("scheduler", null, null, Duration.ofMillis(millis).toString(), null);
        assertThatThrownBy(trigger::pendingThresholdOrDefault)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThat(trigger.checkableWindowOrDefault()).isEqualTo(Reconciliation.DEFAULT_CHECKABLE_WINDOW);
    }

    @Property(tries = 200, seed = SEED)
    void anythingElseIsRefusedOrBlank(@ForAll String text) {
        var trigger = new ReconciliationTrigger("scheduler", null, null, text, null);
        if (text.isBlank()) {
            assertThat(trigger.pendingThresholdOrDefault()).isEqualTo(Reconciliation.DEFAULT_PENDING_THRESHOLD);
            return;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(text);
        } catch (RuntimeException notIso) {
            assertThatThrownBy(trigger::pendingThresholdOrDefault)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8601");
            return;
        }
        if (parsed.isNegative() || parsed.isZero()) {
            assertThatThrownBy(trigger::pendingThresholdOrDefault).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(trigger.pendingThresholdOrDefault()).isEqualTo(parsed);
        }
    }
}
