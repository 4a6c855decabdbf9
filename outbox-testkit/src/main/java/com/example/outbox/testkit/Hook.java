package com.example.outbox.testkit;

import java.util.Objects;

/**
 * An optional capability of a {@link RelayUnderTest}: either supported, with its implementation, or explicitly not
 * applicable to this relay, with the reason.
 *
 * <p>A kit test whose hook is not applicable is reported as aborted with the text
 * {@code "not applicable to <relay>: <why>"}: visible in the test report, never a silent pass. The guarantees page
 * (docs/guarantees.md) lists, per relay, which guarantees do not apply and why.
 *
 * @param <T> the capability's interface
 */
public sealed interface Hook<T> {

    static <T> Hook<T> supported(T implementation) {
        return new Supported<>(implementation);
    }

    /** @param why one sentence a reader of the test report understands, e.g. "Debezium does not park: ..." */
    static <T> Hook<T> notApplicable(String why) {
        return new NotApplicable<>(why);
    }

    record Supported<T>(T implementation) implements Hook<T> {
        public Supported {
            Objects.requireNonNull(implementation, "implementation");
        }
    }

    record NotApplicable<T>(String why) implements Hook<T> {
        public NotApplicable {
            if (why == null || why.isBlank()) {
                throw new IllegalArgumentException("a hook that does not apply must say why");
            }
        }
    }
}
