package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.Inbox;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Assume;
import net.jqwik.api.Tuple;

/**
 * The inbox key derivation: injective over the identity as sent, bounded, storable. Fixed seeds (jqwik prints the
 * seed in every property's report, and a failure shows the shrunk input).
 */
class InboxKeysPropertyTest {

    static final String SEED = "20261130";

    @Property(tries = 200, seed = SEED)
    void distinctCeIdBytesNeverShareAKey(@ForAll("ids") byte[] a, @ForAll("ids") byte[] b) {
        Assume.that(!Arrays.equals(a, b));
        assertThat(InboxKeys.ofEventId(a)).isNotEqualTo(InboxKeys.ofEventId(b));
    }

    /** Pairs that differ in one byte only: the closest distinct ids, where a lossy conversion would merge them. */
    @Property(tries = 200, seed = SEED)
    void idsDifferingInOneByteNeverShareAKey(@ForAll("ids") byte[] a, @ForAll int position, @ForAll byte other) {
        Assume.that(a.length > 0);
        byte[] b = a.clone();
        int i = Math.floorMod(position, a.length);
        Assume.that(b[i] != other);
        b[i] = other;
        assertThat(InboxKeys.ofEventId(a)).isNotEqualTo(InboxKeys.ofEventId(b));
    }

    /** ADR 0027: (ce_source, ce_id) is the identity; the length prefix keeps the boundary between them. */
    @Property(tries = 200, seed = SEED)
    void distinctSourceAndIdPairsNeverShareAKey(@ForAll("ids") byte[] sourceA, @ForAll("ids") byte[] idA,
            @ForAll("ids") byte[] sourceB, @ForAll("ids") byte[] idB) {
        Assume.that(!Arrays.equals(sourceA, sourceB) || !Arrays.equals(idA, idB));
        assertThat(InboxKeys.ofCloudEvent(sourceA, idA)).isNotEqualTo(InboxKeys.ofCloudEvent(sourceB, idB));
    }

    /** The same bytes split differently between source and id are two identities. */
    @Property(tries = 200, seed = SEED)
    void movingTheBoundaryBetweenSourceAndIdChangesTheKey(@ForAll("ids") byte[] joined, @ForAll int at) {
        Assume.that(joined.length > 0);
        int cut = Math.floorMod(at, joined.length);
        byte[] source = Arrays.copyOfRange(joined, 0, cut);
        byte[] id = Arrays.copyOfRange(joined, cut, joined.length);
        byte[] longerSource = Arrays.copyOfRange(joined, 0, cut + 1);
        byte[] shorterId = Arrays.copyOfRange(joined, cut + 1, joined.length);
        assertThat(InboxKeys.ofCloudEvent(source, id)).isNotEqualTo(InboxKeys.ofCloudEvent(longerSource, shorterId));
    }

    @Property(tries = 200, seed = SEED)
    void cloudEventKeysAreBoundedStorableAndNeverMeetEventKeys(@ForAll("ids") byte[] source, @ForAll("ids") byte[] id) {
        String key = InboxKeys.ofCloudEvent(source, id);
        assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Inbox.MAX_KEY_BYTES);
        assertThat(Utf8Text.storable(key)).isTrue();
        assertThat(key).matches(k -> k.startsWith("cloudevent:" + source.length + ":")
                || k.matches("cloudevent-sha256:[0-9a-f]{64}"), "a known form");
        assertThat(key).isNotEqualTo(InboxKeys.ofEventId(id));
    }

    @Property(tries = 200, seed = SEED)
    void distinctEventIdStringsNeverShareAKey(@ForAll("eventIds") String a, @ForAll("eventIds") String b) {
        Assume.that(!a.equals(b));
        assertThat(InboxKeys.ofEventId(a)).isNotEqualTo(InboxKeys.ofEventId(b));
    }

    @Property(tries = 200, seed = SEED)
    void everyKeyIsBoundedStorableAndDeterministic(@ForAll("ids") byte[] id) {
        String key = InboxKeys.ofEventId(id);
        assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Inbox.MAX_KEY_BYTES);
        assertThat(Utf8Text.storable(key)).isTrue();
        assertThat(InboxKeys.ofEventId(id.clone())).isEqualTo(key);
        assertThat(key).matches(k -> k.startsWith("event:") || k.matches("event-sha256:[0-9a-f]{64}"), "a known form");
    }

    /** The same id as a ce_id header (UTF-8 bytes) or as a payload eventId is the same message. */
    @Property(tries = 200, seed = SEED)
    void aWellFormedEventIdHasTheKeyOfItsUtf8Bytes(@ForAll("wellFormed") String id) {
        assertThat(InboxKeys.ofEventId(id)).isEqualTo(InboxKeys.ofEventId(id.getBytes(StandardCharsets.UTF_8)));
    }

    /** Keys written before the digest form existed keep their meaning: short well-formed ids stay readable. */
    @Property(tries = 200, seed = SEED)
    void shortWellFormedIdsKeepTheReadableForm(@ForAll("wellFormed") String id) {
        Assume.that(id.indexOf('\u0000') < 0 && id.getBytes(StandardCharsets.UTF_8).length <= Inbox.MAX_KEY_BYTES - 6);
        assertThat(InboxKeys.ofEventId(id)).isEqualTo("event:" + id);
    }

    /**
     * The text before the first ':' names scheme and form, and differs between all four ({@code event},
     * {@code event-sha256}, {@code offset}, {@code offset-sha256}): keys of different forms or schemes never meet,
     * whatever the id spells (an id that spells a digest key stays behind its own prefix).
     */
    @Property(tries = 200, seed = SEED)
    void formsAndSchemesNeverMeet(@ForAll("ids") byte[] id) {
        String event = InboxKeys.of("event", id);
        String offset = InboxKeys.of("offset", id);
        String eventForm = event.substring(0, event.indexOf(':'));
        String offsetForm = offset.substring(0, offset.indexOf(':'));
        assertThat(eventForm).isIn("event", "event-sha256");
        assertThat(offsetForm).isIn("offset", "offset-sha256");
        assertThat(eventForm.equals("event")).isEqualTo(offsetForm.equals("offset"));
        byte[] spellsADigestKey = ("-sha256:" + event.substring(event.indexOf(':') + 1)).getBytes(StandardCharsets.UTF_8);
        assertThat(InboxKeys.ofEventId(spellsADigestKey)).isNotEqualTo(event);
    }

    @Property(tries = 200, seed = SEED)
    void wtf8IsUtf8ForWellFormedStrings(@ForAll("wellFormed") String text) {
        assertThat(Utf8Text.wtf8(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(Utf8Text.decodeOrNull(Utf8Text.wtf8(text))).isEqualTo(text);
    }

    @Property(tries = 200, seed = SEED)
    void wtf8IsInjective(@ForAll("eventIds") String a, @ForAll("eventIds") String b) {
        Assume.that(!a.equals(b));
        assertThat(Utf8Text.wtf8(a)).isNotEqualTo(Utf8Text.wtf8(b));
    }

    @Property(tries = 200, seed = SEED)
    void abbreviatedTextIsAlwaysStorableAndBounded(@ForAll("eventIds") String text, @ForAll("limits") int max) {
        String shown = Utf8Text.abbreviate(text, max);
        assertThat(Utf8Text.storable(shown)).isTrue();
        assertThat(shown.length()).isLessThanOrEqualTo(max + 1);
    }

    @Example
    void theIssuesUnpairedSurrogatesGetDistinctKeys() {
        String a = InboxKeys.ofEventId("evt-\ud800");
        String b = InboxKeys.ofEventId("evt-\udbff");
        assertThat(a).isNotEqualTo(b).startsWith("event-sha256:");
        assertThat(b).startsWith("event-sha256:");
        // What the lossy conversion produced for both:
        assertThat(a).isNotEqualTo("event:evt-?");
    }

    @Example
    void longIdsAreDigestedAndShortOnesAreNot() {
        assertThat(InboxKeys.ofEventId("x".repeat(Inbox.MAX_KEY_BYTES - 6))).isEqualTo("event:" + "x".repeat(506));
        assertThat(InboxKeys.ofEventId("x".repeat(Inbox.MAX_KEY_BYTES - 5))).matches("event-sha256:[0-9a-f]{64}");
        assertThat(InboxKeys.ofEventId("x".repeat(4000))).hasSize("event-sha256:".length() + 64);
        assertThat(InboxKeys.ofPosition("order.cancelled-0-15")).isEqualTo("offset:order.cancelled-0-15");
        assertThat(InboxKeys.ofCloudEvent("/checkout".getBytes(StandardCharsets.UTF_8),
                "dup-1".getBytes(StandardCharsets.UTF_8))).isEqualTo("cloudevent:9:/checkoutdup-1");
    }

    @Example
    void wtf8OfAnUnpairedSurrogateIsItsThreeByteForm() {
        assertThat(Utf8Text.wtf8("\ud800")).isEqualTo(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        assertThat(Utf8Text.wtf8("\ud83d\ude00")).isEqualTo("\ud83d\ude00".getBytes(StandardCharsets.UTF_8));
        // An unpaired high surrogate followed by an unpaired low one in separate strings is not the pair.
        assertThat(Utf8Text.wtf8("\ud83d") .length + Utf8Text.wtf8("\ude00").length).isEqualTo(6);
    }

    @Provide
    Arbitrary<byte[]> ids() {
        Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40);
        Arbitrary<byte[]> longBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(500).ofMaxSize(4100);
        Arbitrary<byte[]> text = wellFormed().map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> fewValues = Arbitraries.of((byte) 0, (byte) 'a', (byte) 0xC1, (byte) 0x81, (byte) 0xED,
                (byte) 0xA0, (byte) 0x80, (byte) 0xFF).array(byte[].class).ofMaxSize(6);
        return Arbitraries.frequencyOf(Tuple.of(3, anyBytes), Tuple.of(1, longBytes), Tuple.of(3, text),
                Tuple.of(3, fewValues));
    }

    @Provide
    Arbitrary<String> wellFormed() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30).filter(Utf8Text::storable),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(600),
                Arbitraries.of("evt-1", "0b7d1e2f-5a6c-4d3b-8e9f-a1b2c3d4e5f6", "caf\u00e9", "\ud83d\ude00", "a\u0000b"))
                .filter(s -> Utf8Text.decodeOrNull(s.getBytes(StandardCharsets.UTF_8)) != null
                        && !hasUnpairedSurrogate(s));
    }

    /** Any Java strings, unpaired surrogates and U+0000 included, short and long. */
    @Provide
    Arbitrary<String> eventIds() {
        Arbitrary<String> surrogateHeavy = Arbitraries.strings().withChars('a', '\u0000', '\ud800', '\udbff', '\udc00',
                '\udfff', '\ud83d', '\ude00', '?', '\ufffd').ofMaxLength(8);
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30), surrogateHeavy,
                Arbitraries.strings().all().ofMinLength(300).ofMaxLength(2000));
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.integers().between(2, 120);
    }

    private static boolean hasUnpairedSurrogate(String s) {
        return !Utf8Text.storable(s.replace('\u0000', 'x'));
    }
}
