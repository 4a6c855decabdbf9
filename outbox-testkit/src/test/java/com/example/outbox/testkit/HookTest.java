package com.example.outbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A hook that does not apply ends its test visibly, with the relay's reason; it never passes it. */
class HookTest {

    @Test
    void aNotApplicableHookAbortsTheTestWithTheRelaysReason() {
        assertThatThrownBy(() -> RelayContract.require("a relay without parking", Hook.notApplicable("it has no parked state")))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("not applicable to a relay without parking: it has no parked state");
    }

    @Test
    void aSupportedHookGivesItsImplementation() {
        assertThat(RelayContract.require("any relay", Hook.supported("the implementation"))).isEqualTo("the implementation");
    }

    @Test
    void notApplicableNeedsAReason() {
        assertThatThrownBy(() -> Hook.notApplicable(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hook.notApplicable(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
