package com.example.cancel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The byte/text conversions of the consumer, none of them lossy. The JDK's own {@code new String(bytes, UTF_8)}
 * and {@code String.getBytes(UTF_8)} replace what they cannot convert (U+FFFD, {@code ?}), which made different
 * ids equal (issue: {@code evt-\ud800} and {@code evt-\udbff} both became {@code evt-?}); everything here either
 * converts exactly or says it cannot.
 */
final class Utf8Text {

    private Utf8Text() {
    }

    /**
     * The text of well-formed UTF-8 (RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF),
     * or null if {@code bytes} is not well-formed UTF-8.
     */
    static String decodeOrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /**
     * WTF-8 ("generalized UTF-8"): UTF-8 of every code point, where a surrogate that is not part of a pair is
     * encoded like any other code point below U+10000 (three bytes). Injective over all Java strings, and equal to
     * UTF-8 for every string without unpaired surrogates; so a JSON string like {@code "evt-\ud800"} keeps its
     * identity instead of becoming {@code evt-?}.
     */
    static byte[] wtf8(String text) {
        var out = new ByteArrayOutputStream(text.length() + 8);
        // String.codePoints() yields an unpaired surrogate as its own code point (its code unit value).
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | (cp >> 6));
                out.write(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out.write(0xE0 | (cp >> 12));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            } else {
                out.write(0xF0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3F));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            }
        });
        return out.toByteArray();
    }

    /**
     * Whether PostgreSQL {@code text}/{@code jsonb} holds the string exactly: no U+0000 (PostgreSQL rejects it) and
     * no unpaired surrogate (the JDBC driver would send it as {@code ?}).
     */
    static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * At most {@code maxChars} UTF-16 chars of {@code text} for messages and logs, never cutting a surrogate pair
     * in two, with "…" when cut; unpaired surrogates and U+0000 become U+FFFD so the result is always storable.
     */
    static String abbreviate(String text, int maxChars) {
        String shown = text;
        if (text.length() > maxChars) {
            int end = Character.isLowSurrogate(text.charAt(maxChars)) ? maxChars - 1 : maxChars;
            shown = text.substring(0, end) + "…";
        }
        return storable(shown) ? shown : replaceUnstorable(shown);
    }

    private static String replaceUnstorable(String text) {
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(
                cp == 0 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) ? 0xFFFD : cp));
        return out.toString();
    }
}
