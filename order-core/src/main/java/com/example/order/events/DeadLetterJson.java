package com.example.order.events;

import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;

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

    public static byte[] encode(DeadLetter letter) {
        ReceivedMessage m = letter.message();
        var out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("dlqVersion", VERSION);
            json.writeStringField("consumer", letter.consumer());
            json.writeStringField("messageKey", letter.messageKey());
            json.writeObjectFieldStart("error");
            json.writeStringField("kind", letter.errorKind());
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
            writeBytes(json, "key", m.key());
            writeBytes(json, "value", m.value());
            json.writeArrayFieldStart("headers");
            for (ReceivedMessage.Header header : m.headers()) {
                json.writeStartObject();
                json.writeStringField("name", header.name());
                writeBytes(json, "value", header.value());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
