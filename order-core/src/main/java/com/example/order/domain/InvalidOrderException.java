package com.example.order.domain;

import java.util.List;

/** Thrown when an order would break {@link OrderRules}; carries every violation, not just the first. */
public final class InvalidOrderException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidOrderException(List<Violation> violations) {
        super("Invalid order: " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
