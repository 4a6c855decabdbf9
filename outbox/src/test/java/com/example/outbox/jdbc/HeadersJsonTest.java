package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Example;
import net.jqwik.api.constraints.Size;

class HeadersJsonTest {

    /** Any header names and values, including quotes, backslashes, control characters and non-BMP text. */
    @Property(tries = 300, seed = "20261130")
    void writeThenReadGivesTheSameHeadersInTheSameOrder(@ForAll @Size(max = 8) Map<String, String> headers) {
        var linked = new java.util.LinkedHashMap<>(headers);
        assertThat(HeadersJson.read(HeadersJson.write(linked))).containsExactlyEntriesOf(linked);
    }

    @Example
    void readsWhatPostgresJsonbPrintsBack() {
        assertThat(HeadersJson.read("{\"a\": \"1\", \"traceparent\": \"00-ab\\\"c\"}"))
                .containsExactly(Map.entry("a", "1"), Map.entry("traceparent", "00-ab\"c"));
        assertThat(HeadersJson.read(null)).isEmpty();
        assertThat(HeadersJson.read("{}")).isEmpty();
    }

    @Example
    void rejectsAnythingButAnObjectOfStrings() {
        assertThatThrownBy(() -> HeadersJson.read("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeadersJson.read("{\"a\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeadersJson.read("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
    }
}
