package com.example.order.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money is a {@link BigDecimal} with scale 2 everywhere (one currency; no floating point ever).
 * Amounts entering the domain keep their value; only the scale is normalised, never rounded.
 */
public final class Money {

    public static final int SCALE = 2;

    private Money() {
    }

    /** {@code 12.5 -> 12.50}. Throws if the value would need rounding (more than 2 decimals of non-zero digits). */
    public static BigDecimal of(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    public static BigDecimal of(String amount) {
        return of(new BigDecimal(amount));
    }

    /** True if the amount has no non-zero digits beyond the second decimal ({@code 1.250} is fine, {@code 1.255} not). */
    public static boolean hasAtMostTwoDecimals(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= SCALE;
    }
}
