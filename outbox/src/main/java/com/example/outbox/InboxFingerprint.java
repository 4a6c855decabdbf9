package com.example.outbox;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content fingerprint of a Kafka record that carries a CloudEvent in binary content mode, for
 * {@link Inbox#receive}: SHA-256 ({@value #BYTES} bytes) over the record's value and its CloudEvents headers.
 *
 * <p>What counts as "the same message" (ADR 0027): the CloudEvents Kafka protocol binding puts an event's data in the
 * record value, its context attributes in {@code ce_*} headers and its {@code datacontenttype} in
 * {@code content-type}. Two records are the same event exactly when those are byte-equal. So the fingerprint covers:
 * <ul>
 *   <li>the value's bytes (a null value, a tombstone, differs from an empty one);</li>
 *   <li>every header named {@code content-type} or starting with {@code ce_}, names and value bytes exactly as sent
 *       (a null value differs from an empty one), ordered by name and, within one name, in record order (a producer
 *       that builds headers from a hash map may send them in another order on a retry; the order among
 *       same-named headers can change their meaning, so it is kept);</li>
 *   <li>except the distributed-tracing attributes {@code ce_traceparent} and {@code ce_tracestate}: they describe
 *       the path a delivery took, and a producer retrying in a new span must still be a duplicate.</li>
 * </ul>
 * Everything else (the record key, which only routes the record; {@code traceparent}, {@code x-correlation-id} and
 * other headers the event does not define) is left out. A redelivery by the broker or Lambda's event source
 * mapping, and a retry by our relay (which rebuilds the same record from the same outbox row), are byte-identical
 * in all of it, so they are always duplicates.
 *
 * <p>The encoding is length-prefixed, so different (value, headers) give different bytes before hashing; two of
 * them share a fingerprint only through a SHA-256 collision (none is known). Hand-written because it is the inbox's
 * point: what "the same message" means.
 */
public final class InboxFingerprint {

    /** Length of a fingerprint, in bytes. */
    public static final int BYTES = 32;

    private static final byte[] VERSION = {'i', 'f', '1'};
    private static final Set<String> TRACE_ATTRIBUTES = Set.of("ce_traceparent", "ce_tracestate");

    private InboxFingerprint() {
    }

    /**
     * @param value   the record value, or null
     * @param headers the record headers in record order (names may repeat, values may be null); entries whose
     *                value is null must allow it (e.g. {@link java.util.AbstractMap.SimpleImmutableEntry})
     * @return a new {@value #BYTES}-byte array
     */
    public static byte[] of(byte[] value, List<? extends Map.Entry<String, byte[]>> headers) {
        MessageDigest digest = sha256();
        digest.update(VERSION);
        update(digest, value);
        List<Map.Entry<String, byte[]>> counted = new ArrayList<>();
        for (Map.Entry<String, byte[]> header : headers) {
            if (counts(header.getKey())) {
                counted.add(header);
            }
        }
        counted.sort(Comparator.comparing(Map.Entry::getKey)); // stable: same-named headers keep their order
        digest.update(ByteBuffer.allocate(4).putInt(counted.size()).array());
        for (Map.Entry<String, byte[]> header : counted) {
            String name = header.getKey();
            // UTF-16 code units: injective for any Java string, unpaired surrogates included.
            ByteBuffer nameBytes = ByteBuffer.allocate(4 + 2 * name.length()).putInt(name.length());
            name.chars().forEach(c -> nameBytes.putChar((char) c));
            digest.update(nameBytes.array());
            update(digest, header.getValue());
        }
        return digest.digest();
    }

    /** Whether a header with this name is part of the event (and so of its fingerprint). */
    public static boolean counts(String headerName) {
        return headerName != null && (headerName.equals("content-type")
                || headerName.startsWith("ce_") && !TRACE_ATTRIBUTES.contains(headerName));
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        if (bytes == null) {
            digest.update((byte) 0);
            return;
        }
        digest.update((byte) 1);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
