package com.example.relay;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The reconciliation job's parameters are configuration, not input: a schedule input that still carries
 * {@code pendingThreshold} or {@code checkableWindow}, whatever the text, is refused naming the settings that replace
 * them; absent or blank fields are Scheduler's plain input. Fixed seed, printed in jqwik's report.
 */
class ReconciliationTriggerPropertyTest {

    private static final String SEED = "20261130";

    @Property(tries = 200, seed = SEED)
    void anyGivenThresholdOrWindowIsRefusedNamingTheSetting(@ForAll String threshold, @ForAll String window) {
        var trigger = new ReconciliationTrigger("scheduler", null, null, threshold, window);
        if (threshold.isBlank() && window.isBlank()) {
            assertThatCode(trigger::requireNoParameters).doesNotThrowAnyException();
            return;
        }
        assertThatThrownBy(trigger::requireNoParameters).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RECONCILIATION_PENDING_THRESHOLD")
                .hasMessageContaining("RECONCILIATION_CHECKABLE_WINDOW");
    }

    @Property(tries = 200, seed = SEED)
    void schedulersOwnFieldsAreAccepted(@ForAll String source, @ForAll String scheduledTime, @ForAll String executionId) {
        assertThatCode(new ReconciliationTrigger(source, scheduledTime, executionId)::requireNoParameters)
                .doesNotThrowAnyException();
    }
}
