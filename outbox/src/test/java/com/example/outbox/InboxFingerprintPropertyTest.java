package com.example.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What "the same message" means for the inbox (ADR 0027): equal value and equal CloudEvents headers give one
 * fingerprint; any difference in them gives another; trace and non-event headers do not count. Fixed seed (jqwik
 * prints it in every property's report).
 */
class InboxFingerprintPropertyTest {

    static final String SEED = "20261130";

    record Rec(byte[] value, List<Map.Entry<String, byte[]>> headers) {
    }

    @Property(tries = 200, seed = SEED)
    void aCopyHasTheSameFingerprint(@ForAll("records") Rec r) {
        var copy = new ArrayList<Map.Entry<String, byte[]>>();
        r.headers().forEach(h -> copy.add(header(h.getKey(), h.getValue() == null ? null : h.getValue().clone())));
        assertThat(InboxFingerprint.of(r.value() == null ? null : r.value().clone(), copy))
                .isEqualTo(InboxFingerprint.of(r.value(), r.headers()))
                .hasSize(InboxFingerprint.BYTES);
    }

    @Property(tries = 200, seed = SEED)
    void differentEventContentNeverSharesAFingerprint(@ForAll("records") Rec a, @ForAll("records") Rec b) {
        Assume.that(!Arrays.equals(a.value(), b.value()) || !canonical(a).equals(canonical(b)));
        assertThat(InboxFingerprint.of(a.value(), a.headers())).isNotEqualTo(InboxFingerprint.of(b.value(), b.headers()));
    }

    /** One changed byte in the value or in one counted header value: the closest different messages. */
    @Property(tries = 200, seed = SEED)
    void oneChangedByteChangesTheFingerprint(@ForAll("records") Rec r, @ForAll int where, @ForAll byte other) {
        List<byte[]> parts = new ArrayList<>();
        if (r.value() != null) {
            parts.add(r.value());
        }
        r.headers().stream().filter(h -> InboxFingerprint.counts(h.getKey()) && h.getValue() != null)
                .forEach(h -> parts.add(h.getValue()));
        Assume.that(parts.stream().anyMatch(p -> p.length > 0));
        byte[] before = InboxFingerprint.of(r.value(), r.headers());
        byte[] part = parts.stream().filter(p -> p.length > 0).toList().get(Math.floorMod(where, (int) parts.stream().filter(p -> p.length > 0).count()));
        int i = Math.floorMod(where, part.length);
        Assume.that(part[i] != other);
        part[i] = other; // the record's arrays are changed in place
        assertThat(InboxFingerprint.of(r.value(), r.headers())).isNotEqualTo(before);
    }

    @Property(tries = 200, seed = SEED)
    void headersTheEventDoesNotDefineAndTheHeaderOrderAcrossNamesDoNotCount(@ForAll("records") Rec r,
            @ForAll("ignoredHeaders") List<Map.Entry<String, byte[]>> extra) {
        var reordered = new ArrayList<>(r.headers());
        // Names in reverse order; List.sort is stable, so same-named headers keep their record order.
        reordered.sort(java.util.Comparator.comparing(Map.Entry<String, byte[]>::getKey).reversed());
        var stable = new ArrayList<>(extra);
        stable.addAll(reordered);
        assertThat(InboxFingerprint.of(r.value(), stable)).isEqualTo(InboxFingerprint.of(r.value(), r.headers()));
    }

    @Example
    void nullAndEmptyDifferAndSameNamedHeadersKeepTheirOrder() {
        assertThat(InboxFingerprint.of(null, List.of())).isNotEqualTo(InboxFingerprint.of(new byte[0], List.of()));
        assertThat(InboxFingerprint.of(null, List.of(header("ce_id", null))))
                .isNotEqualTo(InboxFingerprint.of(null, List.of(header("ce_id", new byte[0]))));
        var ab = List.of(header("ce_time", utf8("a")), header("ce_time", utf8("b")));
        var ba = List.of(header("ce_time", utf8("b")), header("ce_time", utf8("a")));
        assertThat(InboxFingerprint.of(null, ab)).isNotEqualTo(InboxFingerprint.of(null, ba));
        // A header boundary cannot move: ("ce_a"="bc") is not ("ce_ab"="c").
        assertThat(InboxFingerprint.of(null, List.of(header("ce_a", utf8("bc")))))
                .isNotEqualTo(InboxFingerprint.of(null, List.of(header("ce_ab", utf8("c")))));
        assertThat(InboxFingerprint.counts("ce_traceparent")).isFalse();
        assertThat(InboxFingerprint.counts("traceparent")).isFalse();
        assertThat(InboxFingerprint.counts("content-type")).isTrue();
        assertThat(InboxFingerprint.counts("ce_source")).isTrue();
    }

    /** Counted headers as (name, value) strings, in the order the fingerprint reads them. */
    private static List<String> canonical(Rec r) {
        return r.headers().stream().filter(h -> InboxFingerprint.counts(h.getKey()))
                .sorted(java.util.Comparator.comparing(Map.Entry::getKey))
                .map(h -> h.getKey() + "=" + (h.getValue() == null ? "null" : Arrays.toString(h.getValue())))
                .toList();
    }

    @Provide
    Arbitrary<Rec> records() {
        Arbitrary<byte[]> value = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(24),
                Arbitraries.of("{\"orderId\":\"a\"}", "{\"orderId\":\"b\"}").map(InboxFingerprintPropertyTest::utf8));
        Arbitrary<Map.Entry<String, byte[]>> counted = Combinators.combine(
                Arbitraries.of("ce_id", "ce_source", "ce_time", "ce_type", "content-type", "ce_a", "ce_ab"),
                Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.bytes().array(byte[].class).ofMaxSize(6),
                        Arbitraries.of("dup-1", "dup-2", "").map(InboxFingerprintPropertyTest::utf8)))
                .as(InboxFingerprintPropertyTest::header);
        return Combinators.combine(value, counted.list().ofMaxSize(5)).as(Rec::new);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> ignoredHeaders() {
        return Combinators.combine(
                Arbitraries.of("traceparent", "tracestate", "x-correlation-id", "ce_traceparent", "ce_tracestate",
                        "Content-Type", "other", "", "\ud800"),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(6))
                .as(InboxFingerprintPropertyTest::header).list().ofMaxSize(4);
    }

    private static Map.Entry<String, byte[]> header(String name, byte[] value) {
        return new SimpleImmutableEntry<>(name, value);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
