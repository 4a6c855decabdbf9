package com.example.order.events;

import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The wire format (Kafka record value) of a dead letter on {@code order.cancelled.dlq}, version 1:
 *
 * <pre>{@code
 * {"dlqVersion":1,"consumer":"cancel-consumer-fn","messageKey":"event:<id>",
 *  "error":{"kind":"MALFORMED_JSON","message":"..."},"deadLetteredAt":"2026-11-23T12:00:00.123456Z",
 *  "source":{"topic":"order.cancelled","partition":0,"offset":15,"timestamp":1700000000000,"timestampType":"CREATE_TIME"},
 *  "key":"<base64 or null>","value":"<base64 or null>","headers":[{"name":"ce_id","value":"<base64 or null>"}]}
 * }</pre>
 *
 * The original key, value and header values are base64 (standard alphabet, padded) so that any bytes, even
 * invalid UTF-8 or broken JSON, survive unchanged; decoding them gives back exactly what the consumer received.
 *
 * <p>A dead letter that would be too large to publish leaves parts of the original out ({@link Omission}): the
 * omitted {@code value}/{@code key} are {@code null} and omitted {@code headers} an empty list, and the object
 * {@code payloadOmitted} says which parts, why, and gives the original's sizes and SHA-256 digests (a compatible
 * addition to version 1, ADR 0060):
 *
 * <pre>{@code
 *  "payloadOmitted":{"reason":"TOO_LARGE","parts":["value"],"limitBytes":1032192,"completeRecordBytes":1398305,
 *   "detail":"...","original":{"sizeBytes":1048631,"keyBytes":36,"keySha256":"<hex>","valueBytes":1048500,
 *   "valueSha256":"<hex>","headerCount":2,"headerBytes":95}}
 * }</pre>
 */
public final class DeadLetterJson {

    public static final int VERSION = 1;
    public static final String CONTENT_TYPE = "application/json";
    /** The {@code ce_dataschema} of this format: contracts/order.cancelled.dlq/v{@value #VERSION}.schema.json. */
    public static final String DATASCHEMA = OrderEventJson.CONTRACTS + "order.cancelled.dlq/v" + VERSION + ".schema.json";

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private DeadLetterJson() {
    }

    /** The complete dead letter: the original key, value and headers byte for byte. */
    public static byte[] encode(DeadLetter letter) {
        return encode(letter, null);
    }

    /**
     * The dead letter without the parts {@code omission} names, or the complete one if {@code omission} is null.
     */
    public static byte[] encode(DeadLetter letter, Omission omission) {
        ReceivedMessage m = letter.message();
        boolean withKey = omission == null || !omission.parts().contains(Part.KEY);
        boolean withValue = omission == null || !omission.parts().contains(Part.VALUE);
        boolean withHeaders = omission == null || !omission.parts().contains(Part.HEADERS);
        var out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("dlqVersion", VERSION);
            json.writeStringField("consumer", letter.consumer());
            json.writeStringField("messageKey", letter.inboxKey());
            json.writeObjectFieldStart("error");
            json.writeStringField("kind", letter.errorKind().name());
            json.writeStringField("message", letter.errorMessage());
            json.writeEndObject();
            json.writeStringField("deadLetteredAt", format(letter.deadLetteredAt()));
            json.writeObjectFieldStart("source");
            json.writeStringField("topic", m.topic());
            json.writeNumberField("partition", m.partition());
            json.writeNumberField("offset", m.offset());
            json.writeNumberField("timestamp", m.timestamp());
            json.writeStringField("timestampType", m.timestampType());
            json.writeEndObject();
            writeBytes(json, "key", withKey ? m.key() : null);
            writeBytes(json, "value", withValue ? m.value() : null);
            json.writeArrayFieldStart("headers");
            for (ReceivedMessage.Header header : withHeaders ? m.headers() : List.<ReceivedMessage.Header>of()) {
                json.writeStartObject();
                json.writeStringField("name", header.name());
                writeBytes(json, "value", header.value());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (omission != null) {
                writeOmission(json, omission, m);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeOmission(JsonGenerator json, Omission omission, ReceivedMessage m) throws IOException {
        json.writeObjectFieldStart("payloadOmitted");
        json.writeStringField("reason", omission.reason());
        json.writeArrayFieldStart("parts");
        for (Part part : omission.parts()) {
            json.writeString(part.field());
        }
        json.writeEndArray();
        json.writeNumberField("limitBytes", omission.limitBytes());
        json.writeNumberField("completeRecordBytes", omission.completeRecordBytes());
        json.writeStringField("detail", omission.detail());
        json.writeObjectFieldStart("original");
        json.writeNumberField("sizeBytes", originalSize(m));
        writeLength(json, "keyBytes", m.key());
        writeDigest(json, "keySha256", m.key());
        writeLength(json, "valueBytes", m.value());
        writeDigest(json, "valueSha256", m.value());
        json.writeNumberField("headerCount", m.headers().size());
        json.writeNumberField("headerBytes", headerBytes(m));
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Bytes of the original record's key, value, header names (UTF-8) and header values. */
    static long originalSize(ReceivedMessage m) {
        return length(m.key()) + length(m.value()) + headerBytes(m);
    }

    private static long headerBytes(ReceivedMessage m) {
        long bytes = 0;
        for (ReceivedMessage.Header header : m.headers()) {
            bytes += header.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + length(header.value());
        }
        return bytes;
    }

    private static long length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void writeLength(JsonGenerator json, String field, byte[] bytes) throws IOException {
        if (bytes == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, bytes.length);
        }
    }

    private static void writeDigest(JsonGenerator json, String field, byte[] bytes) throws IOException {
        if (bytes == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, sha256Hex(bytes));
        }
    }

    /** Lowercase hex of the SHA-256 of {@code bytes}. */
    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A part of the original record a dead letter can leave out, in the order they are left out. */
    public enum Part {
        VALUE("value"), KEY("key"), HEADERS("headers");

        private final String field;

        Part(String field) {
            this.field = field;
        }

        /** The dead letter's field that is emptied, and the name listed in {@code payloadOmitted.parts}. */
        public String field() {
            return field;
        }
    }

    /**
     * Why and what a dead letter leaves out.
     *
     * @param parts               the omitted parts, in {@link Part} order, at least one
     * @param limitBytes          the record size the dead letter must not exceed (bytes, as Kafka's producer counts):
     *                            the relay's {@code max.request.size} less the compression allowance
     * @param completeRecordBytes what the complete dead letter would have been (same measure)
     */
    public record Omission(List<Part> parts, long limitBytes, long completeRecordBytes) {

        /** The only reason so far: the complete dead letter could not be published. */
        public static final String TOO_LARGE = "TOO_LARGE";

        public Omission {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("an omission omits something");
            }
        }

        public String reason() {
            return TOO_LARGE;
        }

        public String detail() {
            return "the complete dead letter would be a " + completeRecordBytes + "-byte Kafka record, over the"
                    + " limit of " + limitBytes + " bytes; left out: " + String.join(", ",
                    parts.stream().map(Part::field).toList());
        }

        /** The parts as a comma-separated list ({@code value,key}), for the {@code dlq-payload-omitted} header. */
        public String partList() {
            return String.join(",", parts.stream().map(Part::field).toList());
        }
    }

    private static void writeBytes(JsonGenerator json, String field, byte[] bytes) throws IOException {
        if (bytes == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, BASE64.encodeToString(bytes));
        }
    }

    private static String format(Instant instant) {
        return instant.toString();
    }
}
