package com.example.order.domain;

import java.util.regex.Pattern;

/**
 * The one rule for an identifier given as text (order ids, customer ids, product ids): the canonical 8-4-4-4-12
 * hexadecimal form, either case, nothing around it. Checked before {@link java.util.UUID#fromString}, which also
 * accepts shortened groups such as {@code 1-2-3-4-5} and would read them as a different id.
 */
public final class UuidText {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private UuidText() {
    }

    /** @return whether {@code text} (non-null) is a UUID in canonical form, e.g. {@code 3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a90} */
    public static boolean isCanonical(CharSequence text) {
        return CANONICAL.matcher(text).matches();
    }
}
