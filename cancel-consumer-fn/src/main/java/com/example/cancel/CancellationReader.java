package com.example.cancel;

import com.example.cancel.Reading.PoisonKind;
import com.example.cancel.esm.EsmRecord;
import com.example.order.app.TraceContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads an {@code order.cancelled} record as a tolerant reader: only {@code orderId} is required, unknown fields
 * and absent headers are fine, so what {@code kcat -P -t order.cancelled} sends with
 * {@code {"orderId":"…","reason":"customer request"}} (no key, no headers) works.
 *
 * <p>Supported contract (version 1), everything else is poison:
 * <ul>
 *   <li>value: a JSON object; {@code orderId} a UUID string (required); {@code reason} a string or absent;
 *       {@code eventId} a non-blank string or absent; {@code occurredAt} an ISO-8601 instant (years 1-9999) or absent;
 *       the version ({@code schemaVersion} and/or {@code ce_dataschema}) one that {@link CancelledEventVersions}
 *       reads, upcast to the current one before anything else is interpreted.</li>
 *   <li>headers, all optional: {@code ce_specversion} 1.0; {@code ce_type} order.cancelled; {@code content-type}
 *       some JSON type; {@code ce_time} an ISO-8601 instant; {@code ce_id}, {@code traceparent},
 *       {@code x-correlation-id} any text. No text may contain U+0000 (PostgreSQL cannot store it): in
 *       {@code ce_id}, {@code eventId} or {@code reason} it makes the record poison, in a trace header the header
 *       is ignored. {@code ce_source} is not interpreted.</li>
 * </ul>
 * When it happened: {@code occurredAt}, else {@code ce_time}, else the record timestamp.
 */
@Singleton
class CancellationReader {

    static final String EVENT_TYPE = "order.cancelled";
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Times PostgreSQL's timestamptz (and java.sql.Timestamp) certainly hold; outside them the insert would fail forever. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final JsonMapper json;
    private final CancelledEventVersions versions = CancelledEventVersions.SUPPORTED;

    CancellationReader(JsonMapper json) {
        this.json = json;
    }

    Reading read(EsmRecord record) {
        // Trace headers are optional: one that could not be stored is dropped rather than failing the record.
        var trace = new TraceContext(storableOrNull(record.header("traceparent")),
                storableOrNull(record.header("x-correlation-id")));
        String ceId = blankToNull(record.header("ce_id"));
        String positionKey = "offset:" + record.position();
        if (ceId != null && !storable(ceId)) {
            return new Reading.Poison(positionKey, null, trace, PoisonKind.INVALID_FIELD,
                    "ce_id contains U+0000, which cannot be stored", null);
        }
        String headerKey = ceId == null ? positionKey : "event:" + ceId;

        if (record.decodeError() != null) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.MALFORMED_RECORD, record.decodeError(), null);
        }
        String specVersion = record.header("ce_specversion");
        if (specVersion != null && !"1.0".equals(specVersion.trim())) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.UNSUPPORTED_SCHEMA,
                    "ce_specversion " + specVersion + " is not supported (only 1.0)", null);
        }
        String type = record.header("ce_type");
        if (type != null && !EVENT_TYPE.equals(type.trim())) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.UNSUPPORTED_EVENT_TYPE,
                    "ce_type " + type + " is not " + EVENT_TYPE, null);
        }
        String contentType = record.header("content-type");
        if (contentType != null && !contentType.toLowerCase().contains("json")) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.UNSUPPORTED_CONTENT_TYPE,
                    "content-type " + contentType + " is not JSON", null);
        }
        if (record.value() == null || record.value().length == 0) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.MALFORMED_JSON, "record has no value", null);
        }
        JsonNode body;
        try {
            body = json.readValue(record.value(), Argument.of(JsonNode.class));
        } catch (IOException | RuntimeException e) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.MALFORMED_JSON,
                    "value is not JSON: " + e.getMessage(), null);
        }
        if (body == null || !body.isObject()) {
            return new Reading.Poison(headerKey, ceId, trace, PoisonKind.MALFORMED_JSON, "value is not a JSON object", null);
        }

        // From here on the payload's eventId (if any) identifies the message, poison or not.
        String eventId = ceId;
        JsonNode eventIdNode = body.get("eventId");
        if (eventId == null && present(eventIdNode)) {
            if (!eventIdNode.isString() || eventIdNode.getStringValue().isBlank()
                    || !storable(eventIdNode.getStringValue())) {
                return new Reading.Poison(positionKey, null, trace, PoisonKind.INVALID_FIELD,
                        "eventId must be a non-blank string without U+0000", null);
            }
            eventId = eventIdNode.getStringValue().trim();
        }
        String key = eventId == null ? positionKey : "event:" + eventId;

        // Versions and upcasting live in CancelledEventVersions; from here on body is the current version.
        var resolved = versions.toCurrent(body, record.header("ce_dataschema"));
        if (resolved instanceof CancelledEventVersions.Unsupported unsupported) {
            return new Reading.Poison(key, eventId, trace, PoisonKind.UNSUPPORTED_SCHEMA, unsupported.detail(), null);
        }
        body = ((CancelledEventVersions.Current) resolved).body();
        JsonNode orderIdNode = body.get("orderId");
        if (!present(orderIdNode)) {
            return new Reading.Poison(key, eventId, trace, PoisonKind.MISSING_ORDER_ID, "orderId is missing", null);
        }
        if (!orderIdNode.isString() || !UUID_TEXT.matcher(orderIdNode.getStringValue().trim()).matches()) {
            return new Reading.Poison(key, eventId, trace, PoisonKind.INVALID_ORDER_ID,
                    "orderId must be a UUID string, got " + abbreviate(orderIdNode.toString()), null);
        }
        String orderIdText = orderIdNode.getStringValue().trim();
        UUID orderId = UUID.fromString(orderIdText);

        JsonNode reasonNode = body.get("reason");
        String reason = null;
        if (present(reasonNode)) {
            if (!reasonNode.isString()) {
                return new Reading.Poison(key, eventId, trace, PoisonKind.INVALID_FIELD, "reason must be a string",
                        orderIdText);
            }
            reason = reasonNode.getStringValue();
            if (!storable(reason)) {
                return new Reading.Poison(key, eventId, trace, PoisonKind.INVALID_FIELD,
                        "reason contains U+0000, which cannot be stored", orderIdText);
            }
        }

        Instant at;
        JsonNode occurredAt = body.get("occurredAt");
        String ceTime = blankToNull(record.header("ce_time"));
        try {
            if (present(occurredAt)) {
                if (!occurredAt.isString()) {
                    throw new DateTimeParseException("not a string", occurredAt.toString(), 0);
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
            return new Reading.Poison(key, eventId, trace, PoisonKind.INVALID_FIELD,
                    "occurredAt / ce_time must be an ISO-8601 instant: " + e.getParsedString(), orderIdText);
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            return new Reading.Poison(key, eventId, trace, PoisonKind.INVALID_FIELD,
                    "occurredAt / ce_time / record timestamp " + at + " is outside years 1 to 9999", orderIdText);
        }
        return new Reading.Cancellation(key, eventId, trace, orderId, reason, at);
    }

    /**
     * PostgreSQL text and jsonb cannot hold U+0000. A value containing it fails the same way on every retry, so
     * it must be read as poison here, never reach the database and be mistaken for an outage.
     */
    private static boolean storable(String s) {
        return s.indexOf('\u0000') < 0;
    }

    private static String storableOrNull(String s) {
        String value = blankToNull(s);
        return value == null || storable(value) ? value : null;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
