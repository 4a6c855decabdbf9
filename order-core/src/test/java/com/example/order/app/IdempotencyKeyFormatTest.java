package com.example.order.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The edges of a valid {@code Idempotency-Key}: length 1 to 200, characters 0x21 to 0x7E. */
class IdempotencyKeyFormatTest {

    @Test
    void lengthIsOneToTwoHundred() {
        assertThat(CreateOrder.isValidKey("")).isFalse();
        assertThat(CreateOrder.isValidKey("a")).isTrue();
        assertThat(CreateOrder.isValidKey("a".repeat(CreateOrder.MAX_IDEMPOTENCY_KEY_LENGTH))).isTrue();
        assertThat(CreateOrder.isValidKey("a".repeat(CreateOrder.MAX_IDEMPOTENCY_KEY_LENGTH + 1))).isFalse();
    }

    @Test
    void onlyVisibleAsciiIsAllowed() {
        assertThat(CreateOrder.isValidKey("!")).as("0x21").isTrue();
        assertThat(CreateOrder.isValidKey("~")).as("0x7E").isTrue();
        assertThat(CreateOrder.isValidKey("a b")).as("space 0x20").isFalse();
        assertThat(CreateOrder.isValidKey("a\u007Fb")).as("DEL 0x7F").isFalse();
        assertThat(CreateOrder.isValidKey("a\u00e9")).as("non-ASCII").isFalse();
        assertThat(CreateOrder.isValidKey("ok-key_1")).isTrue();
    }
}
