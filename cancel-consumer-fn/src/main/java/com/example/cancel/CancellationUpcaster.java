package com.example.cancel;

import io.micronaut.json.tree.JsonNode;

/**
 * One step of the {@code order.cancelled} upcaster chain ({@link CancelledEventVersions}): rewrites a value of
 * version N as version N + 1, so the reader only ever interprets the current version.
 *
 * <p>A step must be a pure function of the value: no I/O, no clock, the same answer on every retry. It should
 * carry over fields it does not know (a later minor revision of N may have added some). If the value cannot be
 * expressed in N + 1 it throws {@link IllegalArgumentException}; the record is then poison
 * ({@code UNSUPPORTED_SCHEMA}), never a transient failure.
 */
@FunctionalInterface
interface CancellationUpcaster {

    /**
     * @param older a JSON object of version N
     * @return the same event as a JSON object of version N + 1
     */
    JsonNode upcast(JsonNode older);
}
