package com.example.order.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UuidTextTest {

    @Test
    void everyUuidInEitherCaseIsCanonical() {
        for (int i = 0; i < 1_000; i++) {
            String text = UUID.randomUUID().toString();
            assertThat(UuidText.isCanonical(text)).as(text).isTrue();
            assertThat(UuidText.isCanonical(text.toUpperCase(Locale.ROOT))).as(text).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1-2-3-4-5", "3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a9", "3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a900",
            " 3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a90", "3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a90\n",
            "3f2b1c9e8a4d4e1f9b7a2c5d6e7f8a90", "3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a9g", "{3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a90}",
            "3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a9\u0660"})
    void anythingElseIsNot(String text) {
        assertThat(UuidText.isCanonical(text)).isFalse();
    }

    @Test
    void shortenedGroupsThatUuidFromStringWouldAcceptAreRefused() {
        assertThat(UUID.fromString("1-2-3-4-5")).isEqualTo(UUID.fromString("00000001-0002-0003-0004-000000000005"));
        assertThat(UuidText.isCanonical("1-2-3-4-5")).isFalse();
    }
}
