package com.example.order.data;

import com.example.order.app.DeadLetter;
import com.example.order.app.TraceContext;
import com.example.order.domain.OrderEvent;
import com.example.order.events.DeadLetterJson;
import com.example.order.events.OrderEventJson;
import com.example.outbox.OutboxMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * The outbox rows the order service writes: an order event, or a consumer's dead letter, as an {@link OutboxMessage}
 * for the outbox library's {@code OutboxWriter}.
 *
 * <p>Order event: message id = event id, aggregate = the order id, CloudEvents metadata (type, time, the
 * configured source, {@code ce_dataschema}) and the {@code traceparent} / {@code x-correlation-id} of the request.
 *
 * <p>Dead letter (ADR 0022): message id = name-based UUID of (consumer, inbox key), so the same poison message always
 * gets the same {@code ce_id}; aggregate id (the Kafka key) = the original record key if it is well-formed UTF-8
 * without U+0000 and at most {@value #MAX_AGGREGATE_ID_BYTES} bytes, otherwise the source
 * {@code topic-partition-offset} (the aggregate id is indexed, and a poison record's key is anything); payload =
 * {@link DeadLetterJson}; extra headers name the error and the source position so operators can filter without
 * decoding the value. Every text column and header value is bounded and storable whatever the poison record held
 * (U+0000 and unpaired surrogates become U+FFFD, header values are cut at {@value #MAX_HEADER_LENGTH} characters):
 * the exact bytes travel base64 in the payload. So appending a dead letter never fails because of the record's
 * content.
 */
public final class OutboxMessages {

    static final String ORDER_AGGREGATE = "order";
    static final String DEAD_LETTER_AGGREGATE = "dead-letter";
    static final String TRACEPARENT = "traceparent";
    static final String CORRELATION_ID = "x-correlation-id";
    /** Longest header value, in UTF-16 chars (dlq-error is the long one). */
    static final int MAX_HEADER_LENGTH = 500;
    /** Longest original key used as the aggregate id (the Kafka key), in UTF-8 bytes; an order id is 36. */
    static final int MAX_AGGREGATE_ID_BYTES = 255;

    private OutboxMessages() {
    }

    /** @param source CloudEvents source of this process, e.g. {@code /order-service/create-order-fn} */
    public static OutboxMessage of(OrderEvent event, TraceContext trace, String source) {
        var headers = traceHeaders(trace);
        headers.put(OrderEventJson.DATASCHEMA_HEADER, OrderEventJson.dataSchema(event));
        return new OutboxMessage(event.eventId(), ORDER_AGGREGATE, event.orderId().toString(), event.eventType(),
                source, OrderEventJson.CONTENT_TYPE, event.occurredAt(), OrderEventJson.encode(event), headers);
    }

    /** @param source CloudEvents source of this process, e.g. {@code /order-service/cancel-consumer-fn} */
    public static OutboxMessage of(DeadLetter letter, String source) {
        var headers = traceHeaders(letter.trace());
        headers.put(OrderEventJson.DATASCHEMA_HEADER, DeadLetterJson.DATASCHEMA);
        headers.put("dlq-error-kind", letter.errorKind());
        headers.put("dlq-error", letter.errorMessage());
        headers.put("dlq-consumer", letter.consumer());
        headers.put("dlq-source-topic", letter.message().topic());
        headers.put("dlq-source-partition", Integer.toString(letter.message().partition()));
        headers.put("dlq-source-offset", Long.toString(letter.message().offset()));
        // jsonb cannot hold U+0000 and the driver would send an unpaired surrogate as '?': a poison record's text may
        // contain either (the exact bytes are in the payload).
        headers.replaceAll((name, value) -> storable(value, MAX_HEADER_LENGTH));
        UUID messageId = UUID.nameUUIDFromBytes(("dead-letter|" + letter.consumer() + "|" + letter.messageKey())
                .getBytes(StandardCharsets.UTF_8));
        return new OutboxMessage(messageId, DEAD_LETTER_AGGREGATE, aggregateId(letter), DeadLetter.ORDER_CANCELLED_DLQ,
                source, DeadLetterJson.CONTENT_TYPE, letter.deadLetteredAt(), DeadLetterJson.encode(letter), headers);
    }

    /** The extra outbox headers that carry a request's trace: {@code traceparent} and {@code x-correlation-id}, when present. */
    private static LinkedHashMap<String, String> traceHeaders(TraceContext trace) {
        var headers = new LinkedHashMap<String, String>();
        if (trace.traceparent() != null) {
            headers.put(TRACEPARENT, trace.traceparent());
        }
        if (trace.correlationId() != null) {
            headers.put(CORRELATION_ID, trace.correlationId());
        }
        return headers;
    }

    private static String aggregateId(DeadLetter letter) {
        byte[] key = letter.message().key();
        if (key != null && key.length > 0 && key.length <= MAX_AGGREGATE_ID_BYTES) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
                if (text.indexOf('\u0000') < 0) { // PostgreSQL text cannot hold U+0000
                    return text;
                }
            } catch (CharacterCodingException notUtf8) {
                // fall through: the exact key bytes are in the payload anyway
            }
        }
        return letter.message().position();
    }

    /** At most {@code maxChars} chars, never splitting a surrogate pair; U+0000 and unpaired surrogates as U+FFFD. */
    static String storable(String text, int maxChars) {
        var out = new StringBuilder(Math.min(text.length(), maxChars));
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (out.length() + width > maxChars) {
                break;
            }
            out.appendCodePoint(cp == 0 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) ? 0xFFFD : cp);
            i += width;
        }
        return out.toString();
    }
}
