package com.example.cancel;

import com.example.outbox.Inbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The inbox key of a record (the key its inbox entry is recorded under): a function of the message's identity as
 * sent, injective and bounded.
 *
 * <p>Identity: the {@code ce_source} and {@code ce_id} headers' bytes exactly as received (scheme
 * {@code cloudevent}, see {@link #ofCloudEvent}); else the {@code ce_id} header's bytes alone (no {@code ce_source});
 * else the payload's {@code eventId} string,
 * as bytes through {@link Utf8Text#wtf8 WTF-8} (UTF-8 that also encodes unpaired surrogates); else the record's
 * position {@code <topic>-<partition>-<offset>}. Key, for scheme {@code cloudevent} (ce_source and ce_id),
 * {@code event} (ce_id, eventId) or {@code offset} (position):
 * <ul>
 *   <li>{@code <scheme>:<text>} if the identity bytes are well-formed UTF-8 without U+0000 and the whole key
 *       is at most {@link Inbox#MAX_KEY_BYTES} bytes: the readable form (every key written before this rule);</li>
 *   <li>{@code <scheme>-sha256:<64 lowercase hex digits>}, the SHA-256 of the identity bytes, otherwise.</li>
 * </ul>
 * Injective: within the text form, UTF-8 decoding is one-to-one on well-formed input; within the digest form, two
 * identities share a key only through a SHA-256 collision (none is known; finding one takes about 2^128 work);
 * across forms and schemes, the text before the first {@code :} ({@code cloudevent}, {@code cloudevent-sha256},
 * {@code event}, {@code event-sha256}, {@code offset}, {@code offset-sha256}) differs. Bounded: at most {@link Inbox#MAX_KEY_BYTES} UTF-8 bytes
 * (digest form: 77), so the inbox's primary-key index never meets PostgreSQL's 2,704-byte index row limit.
 * Hand-written because this mapping is the project's point (ADR 0020, 0024, 0027).
 */
final class InboxKeys {

    static final String EVENT = "event";
    static final String CLOUD_EVENT = "cloudevent";
    static final String OFFSET = "offset";
    static final String DIGEST_SUFFIX = "-sha256";

    private InboxKeys() {
    }

    /** Key of an event id as the {@code ce_id} header carried it (any bytes). */
    static String ofEventId(byte[] ceId) {
        return of(EVENT, ceId);
    }

    /**
     * Key of a CloudEvents identity: the {@code ce_source} and {@code ce_id} headers' bytes (any bytes), as the
     * identity {@code <decimal byte length of source>:<source><id>}, scheme {@code cloudevent}. The length prefix
     * makes the pair recoverable from the identity, so distinct pairs never share it (ADR 0027).
     */
    static String ofCloudEvent(byte[] ceSource, byte[] ceId) {
        byte[] prefix = (ceSource.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] identity = new byte[prefix.length + ceSource.length + ceId.length];
        System.arraycopy(prefix, 0, identity, 0, prefix.length);
        System.arraycopy(ceSource, 0, identity, prefix.length, ceSource.length);
        System.arraycopy(ceId, 0, identity, prefix.length + ceSource.length, ceId.length);
        return of(CLOUD_EVENT, identity);
    }

    /** Key of a payload {@code eventId} (any Java string, unpaired surrogates included). */
    static String ofEventId(String eventId) {
        return of(EVENT, Utf8Text.wtf8(eventId));
    }

    /** Key of a record without an event id: its position {@code <topic>-<partition>-<offset>}. */
    static String ofPosition(String position) {
        return of(OFFSET, Utf8Text.wtf8(position));
    }

    /**
     * @param scheme lower-case ASCII letters only (no {@code -} or {@code :}, which keep the forms apart)
     */
    static String of(String scheme, byte[] identity) {
        if (!scheme.matches("[a-z]+")) {
            throw new IllegalArgumentException("scheme must be lower-case letters: " + scheme);
        }
        String text = Utf8Text.decodeOrNull(identity);
        if (text != null && text.indexOf('\u0000') < 0
                && scheme.length() + 1 + identity.length <= Inbox.MAX_KEY_BYTES) {
            return scheme + ":" + text;
        }
        return scheme + DIGEST_SUFFIX + ":" + HexFormat.of().formatHex(sha256(identity));
    }

    /** UTF-8 length of a key (what the inbox bounds). */
    static int byteLength(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
