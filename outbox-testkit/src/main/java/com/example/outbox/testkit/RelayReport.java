package com.example.outbox.testkit;

import java.util.OptionalLong;

/**
 * What one relay instance says it did while it ran. Each figure is optional: a relay that cannot tell (for example
 * a CDC connector does not count per event) leaves it empty, and the kit then asserts only what consumers see on the
 * topic, which is the guarantee itself.
 *
 * @param published       events the relay saw acknowledged by the broker and recorded as delivered
 * @param publishFailures sends that failed (broker unreachable, timed out, or rejected)
 * @param claimsLost      batches abandoned because this instance lost its hold on them (a zombie)
 */
public record RelayReport(OptionalLong published, OptionalLong publishFailures, OptionalLong claimsLost) {

    /** For a relay that reports nothing. */
    public static RelayReport unknown() {
        return new RelayReport(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    public static RelayReport of(long published, long publishFailures, long claimsLost) {
        return new RelayReport(OptionalLong.of(published), OptionalLong.of(publishFailures), OptionalLong.of(claimsLost));
    }
}
