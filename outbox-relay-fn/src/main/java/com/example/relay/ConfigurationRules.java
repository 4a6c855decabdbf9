package com.example.relay;

import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the rules a bound configuration breaks, so start-up fails once, naming every broken setting by its
 * application.yml key and environment variable, instead of the first use failing later (or never).
 */
final class ConfigurationRules {

    private final List<String> broken = new ArrayList<>();

    /** Adds {@code message} unless {@code holds}. */
    ConfigurationRules require(boolean holds, String message) {
        if (!holds) {
            broken.add(message);
        }
        return this;
    }

    /** The value is set; false (and a broken rule) if not. */
    boolean present(Object value, String setting) {
        require(value != null, setting + " is not set");
        return value != null;
    }

    /** A duration above zero. */
    ConfigurationRules positive(Duration value, String setting) {
        if (present(value, setting)) {
            require(value.isPositive(), setting + " must be above zero, was " + value);
        }
        return this;
    }

    /** A duration of zero or more. */
    ConfigurationRules notNegative(Duration value, String setting) {
        if (present(value, setting)) {
            require(!value.isNegative(), setting + " must not be negative, was " + value);
        }
        return this;
    }

    ConfigurationRules between(long value, long min, long max, String setting) {
        return require(value >= min && value <= max, setting + " must be " + min + " to " + max + ", was " + value);
    }

    ConfigurationRules notBlank(String value, String setting) {
        return require(value != null && !value.isBlank(), setting + " must not be empty");
    }

    /** Fails start-up with every broken rule of {@code what}, if any. */
    void check(String what) {
        if (!broken.isEmpty()) {
            throw new ConfigurationException("Invalid " + what + " configuration: " + String.join("; ", broken));
        }
    }
}
