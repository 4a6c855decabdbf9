package com.example.cancel;

import com.example.cancel.esm.EsmRecord;
import com.example.order.app.DeadLetter.ErrorKind;
import com.example.order.app.TraceContext;
import com.example.order.domain.UuidText;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.micronaut.jackson.core.tree.JsonNodeTreeCodec;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads an {@code order.cancelled} record as a tolerant reader: only {@code orderId} is required, unknown fields
 * and absent headers are fine, so what {@code kcat -P -t order.cancelled} sends with
 * {@code {"orderId":"…","reason":"customer request"}} (no key, no headers) works.
 *
 * <p>Supported contract (version 1), everything else is poison:
 * <ul>
 *   <li>value: one JSON object in well-formed UTF-8, member names unique; {@code orderId} a UUID string
 *       (required); {@code reason} a string or absent, at most {@value #MAX_REASON_LENGTH} characters, without
 *       U+0000 or unpaired surrogates (PostgreSQL text cannot hold them exactly); {@code eventId} a non-blank
 *       string or absent; {@code occurredAt} an ISO-8601 instant or absent; the version
 *       ({@code schemaVersion} and/or {@code ce_dataschema}) one that {@link CancelledEventVersions} reads, upcast
 *       to the current one before anything else is interpreted.</li>
 *   <li>headers, all optional: {@code ce_specversion} 1.0; {@code ce_type} order.cancelled; {@code content-type}
 *       some JSON type; {@code ce_time} an ISO-8601 instant; {@code ce_id} any bytes (several {@code ce_id}
 *       headers must agree); {@code ce_source} any bytes, part of the identity with {@code ce_id} (several
 *       {@code ce_source} headers must agree); {@code traceparent} and {@code x-correlation-id} are kept if they are
 *       UTF-8 text PostgreSQL can store, at most {@value #MAX_TRACE_HEADER_LENGTH} characters, and ignored
 *       otherwise.</li>
 * </ul>
 * Identity and inbox key: {@link InboxKeys} ({@code ce_source} and {@code ce_id} bytes and {@code eventId}
 * exactly as sent).
 * When it happened: {@code occurredAt}, else {@code ce_time}, else the record timestamp. Whether that time can be
 * true is the use case's rule, not the reader's: {@code ApplyCancellation.implausibility} (dead letter
 * {@code IMPLAUSIBLE_TIME}), which also keeps every stored time inside what PostgreSQL holds.
 */
@Singleton
class CancellationReader {

    static final String EVENT_TYPE = "order.cancelled";

    /** Longest {@code reason}, in characters (code points); a longer one is poison (INVALID_FIELD). */
    static final int MAX_REASON_LENGTH = 2_000;
    /** Longest {@code traceparent} / {@code x-correlation-id} kept; a longer one is ignored (W3C's is 55). */
    static final int MAX_TRACE_HEADER_LENGTH = 256;

    /**
     * One strict pass (docs/adr/0019-json-one-way-per-job.md): Jackson's streaming parser refuses duplicate member
     * names, and the tree the versions and the upcaster work on is built from that same parser.
     */
    private static final JsonFactory STRICT_JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNodeTreeCodec TREE = JsonNodeTreeCodec.getInstance();

    private final CancelledEventVersions versions = CancelledEventVersions.SUPPORTED;

    Reading read(EsmRecord record) {
        // Trace headers are optional: one that could not be stored exactly is dropped rather than failing the record.
        var trace = new TraceContext(traceHeader(record, "traceparent"), traceHeader(record, "x-correlation-id"));
        String positionKey = InboxKeys.ofPosition(record.position());
        List<byte[]> ceIds = distinctNonBlank(record.headerValues("ce_id"));
        if (ceIds.size() > 1) {
            return new Reading.Poison(positionKey, null, trace, ErrorKind.INVALID_FIELD,
                    ceIds.size() + " different ce_id headers: the record has no single identity", null);
        }
        byte[] ceId = ceIds.isEmpty() ? null : ceIds.get(0);
        List<byte[]> ceSources = distinctNonBlank(record.headerValues("ce_source"));
        if (ceId != null && ceSources.size() > 1) {
            return new Reading.Poison(positionKey, null, trace, ErrorKind.INVALID_FIELD,
                    ceSources.size() + " different ce_source headers: the record has no single identity", null);
        }
        String shownCeId = ceId == null ? null : shown(new String(ceId, StandardCharsets.UTF_8));
        // CloudEvents: source + id identify an event (ADR 0027); without a source, the id alone (ADR 0020).
        String headerKey = ceId == null ? positionKey
                : ceSources.isEmpty() ? InboxKeys.ofEventId(ceId) : InboxKeys.ofCloudEvent(ceSources.get(0), ceId);

        if (record.decodeError() != null) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.MALFORMED_RECORD, record.decodeError(), null);
        }
        String specVersion = record.header("ce_specversion");
        if (specVersion != null && !"1.0".equals(specVersion.trim())) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.UNSUPPORTED_SCHEMA,
                    "ce_specversion " + shown(specVersion) + " is not supported (only 1.0)", null);
        }
        String type = record.header("ce_type");
        if (type != null && !EVENT_TYPE.equals(type.trim())) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.UNSUPPORTED_EVENT_TYPE,
                    "ce_type " + shown(type) + " is not " + EVENT_TYPE, null);
        }
        String contentType = record.header("content-type");
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.UNSUPPORTED_CONTENT_TYPE,
                    "content-type " + shown(contentType) + " is not JSON", null);
        }
        if (record.value() == null || record.value().length == 0) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.MALFORMED_JSON, "record has no value", null);
        }
        // Strictly: Jackson's own UTF-8 reader accepts overlong forms and encoded surrogates, so "evt-A" and
        // "evt-\xC1\x81" would both read as the eventId "evt-A".
        String text = Utf8Text.decodeOrNull(record.value());
        if (text == null) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.MALFORMED_JSON,
                    "value is not well-formed UTF-8", null);
        }
        JsonNode body;
        try {
            body = oneJsonValue(text);
        } catch (NotOneJsonValue e) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.MALFORMED_JSON, e.getMessage(), null);
        }
        if (!body.isObject()) {
            return new Reading.Poison(headerKey, shownCeId, trace, ErrorKind.MALFORMED_JSON,
                    "value is not a JSON object", null);
        }

        // From here on the payload's eventId (if any) identifies the message, poison or not.
        String key = headerKey;
        String shownEventId = shownCeId;
        JsonNode eventIdNode = body.get("eventId");
        if (ceId == null && present(eventIdNode)) {
            if (!eventIdNode.isString() || eventIdNode.getStringValue().isBlank()) {
                return new Reading.Poison(positionKey, null, trace, ErrorKind.INVALID_FIELD,
                        "eventId must be a non-blank string", null);
            }
            // Exactly as sent: not trimmed, and unpaired surrogates or U+0000 keep their identity (InboxKeys).
            key = InboxKeys.ofEventId(eventIdNode.getStringValue());
            shownEventId = shown(eventIdNode.getStringValue());
        }

        // Versions and upcasting live in CancelledEventVersions; from here on body is the current version.
        var resolved = versions.toCurrent(body, record.header("ce_dataschema"));
        if (resolved instanceof CancelledEventVersions.Unsupported unsupported) {
            return new Reading.Poison(key, shownEventId, trace, ErrorKind.UNSUPPORTED_SCHEMA, unsupported.detail(), null);
        }
        body = ((CancelledEventVersions.Current) resolved).body();
        JsonNode orderIdNode = body.get("orderId");
        if (!present(orderIdNode)) {
            return new Reading.Poison(key, shownEventId, trace, ErrorKind.MISSING_ORDER_ID, "orderId is missing", null);
        }
        if (!orderIdNode.isString() || !UuidText.isCanonical(orderIdNode.getStringValue().trim())) {
            return new Reading.Poison(key, shownEventId, trace, ErrorKind.INVALID_ORDER_ID,
                    "orderId must be a UUID string, got " + describe(orderIdNode), null);
        }
        String orderIdText = orderIdNode.getStringValue().trim();
        UUID orderId = UUID.fromString(orderIdText);

        JsonNode reasonNode = body.get("reason");
        String reason = null;
        if (present(reasonNode)) {
            if (!reasonNode.isString()) {
                return new Reading.Poison(key, shownEventId, trace, ErrorKind.INVALID_FIELD, "reason must be a string",
                        orderIdText);
            }
            reason = reasonNode.getStringValue();
            if (!Utf8Text.storable(reason)) {
                return new Reading.Poison(key, shownEventId, trace, ErrorKind.INVALID_FIELD,
                        "reason contains U+0000 or an unpaired surrogate, which PostgreSQL text cannot hold exactly",
                        orderIdText);
            }
            int length = reason.codePointCount(0, reason.length());
            if (length > MAX_REASON_LENGTH) {
                return new Reading.Poison(key, shownEventId, trace, ErrorKind.INVALID_FIELD,
                        "reason is " + length + " characters, more than " + MAX_REASON_LENGTH, orderIdText);
            }
        }

        Instant at;
        JsonNode occurredAt = body.get("occurredAt");
        String ceTime = blankToNull(record.header("ce_time"));
        try {
            if (present(occurredAt)) {
                if (!occurredAt.isString()) {
                    throw new DateTimeParseException("not a string", describe(occurredAt), 0);
                }
                at = Instant.parse(occurredAt.getStringValue().trim());
            } else if (ceTime != null) {
                at = Instant.parse(ceTime.trim());
            } else if (record.timestamp() > 0) {
                at = Instant.ofEpochMilli(record.timestamp());
            } else {
                at = Instant.now();
            }
        } catch (DateTimeParseException e) {
            return new Reading.Poison(key, shownEventId, trace, ErrorKind.INVALID_FIELD,
                    "occurredAt / ce_time must be an ISO-8601 instant: " + shown(e.getParsedString()), orderIdText);
        }
        return new Reading.Cancellation(key, shownEventId, trace, orderId, reason, at);
    }

    /**
     * The tree of {@code text} if it is exactly one JSON value with unique member names. Duplicate names and
     * trailing values are refused because a tree keeps only one of them: {@code {"eventId":"a","eventId":"b"}} and
     * {@code {"eventId":"b"}} would share an identity.
     *
     * @throws NotOneJsonValue saying why not, as the poison detail
     */
    private static JsonNode oneJsonValue(String text) throws NotOneJsonValue {
        try (JsonParser parser = STRICT_JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new NotOneJsonValue("value is empty");
            }
            JsonNode tree = TREE.readTree(parser);
            if (parser.nextToken() != null) {
                throw new NotOneJsonValue("value has content after the JSON value");
            }
            return tree;
        } catch (IOException | RuntimeException e) {
            throw new NotOneJsonValue("value is not JSON: " + shown(String.valueOf(e.getMessage())));
        }
    }

    /** Why a record's value is not exactly one JSON value; its message is the poison detail. */
    private static final class NotOneJsonValue extends Exception {
        NotOneJsonValue(String detail) {
            super(detail, null, false, false);
        }
    }

    /** A trace header's exact text, or null if absent, blank, not UTF-8, not storable or over-long. */
    private static String traceHeader(EsmRecord record, String name) {
        List<byte[]> values = record.headerValues(name);
        if (values.isEmpty()) {
            return null;
        }
        String text = Utf8Text.decodeOrNull(values.get(values.size() - 1));
        String value = blankToNull(text);
        return value == null || !Utf8Text.storable(value) || value.length() > MAX_TRACE_HEADER_LENGTH ? null : value;
    }

    /** A JSON value for a poison detail: a string quoted (bounded), anything else by its kind. */
    private static String describe(JsonNode node) {
        if (node.isString()) {
            return "\"" + shown(node.getStringValue()) + "\"";
        }
        if (node.isNumber()) {
            return shown(String.valueOf(node.getNumberValue()));
        }
        if (node.isBoolean()) {
            return String.valueOf(node.getBooleanValue());
        }
        return node.isObject() ? "an object" : node.isArray() ? "an array" : "null";
    }

    /** Request content quoted in a poison detail or log: bounded and always storable. */
    private static String shown(String content) {
        return Utf8Text.abbreviate(content, 80);
    }

    /** The header values that are not empty or ASCII blank, each byte sequence once, in record order. */
    private static List<byte[]> distinctNonBlank(List<byte[]> values) {
        List<byte[]> distinct = new ArrayList<>();
        for (byte[] value : values) {
            if (!isBlank(value) && distinct.stream().noneMatch(seen -> Arrays.equals(seen, value))) {
                distinct.add(value);
            }
        }
        return distinct;
    }

    private static boolean isBlank(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0B) {
                return false;
            }
        }
        return true;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
