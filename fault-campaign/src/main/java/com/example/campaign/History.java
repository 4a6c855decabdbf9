package com.example.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What happened during one schedule, in order, with milliseconds since its start: every fault, every client
 * request's outcome, every cancellation input. On a violation the checker prints the lines that name an entity of
 * the violation plus every fault line: the minimal history that explains it.
 */
final class History {

    private final long startNanos = System.nanoTime();
    private final List<String> lines = new ArrayList<>();

    synchronized void add(String format, Object... args) {
        lines.add(String.format("%7.3f ", (System.nanoTime() - startNanos) / 1e9) + String.format(format, args));
    }

    synchronized void fault(String format, Object... args) {
        add("FAULT " + format, args);
    }

    /** Fault lines, and the lines that mention any of {@code ids}. */
    synchronized List<String> relevantTo(Set<String> ids) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(" FAULT ") || ids.stream().anyMatch(line::contains)) {
                out.add(line);
            }
        }
        return out;
    }

    synchronized int size() {
        return lines.size();
    }
}
