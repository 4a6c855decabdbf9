package com.example.order.data;

import com.example.order.app.DeadLetter;
import com.example.order.app.TraceContext;
import com.example.order.domain.OrderEvent;
import com.example.order.events.DeadLetterJson;
import com.example.order.events.OrderEventJson;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxRecordSize;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>Size: a dead letter must stay publishable, or the relay parks it (G5) and the poison record's evidence is stuck
 * instead of delivered. Base64 makes the complete dead letter about 4/3 of the original, so a record near the
 * broker's maximum gives one over the relay producer's {@code max.request.size}. When the complete dead letter is
 * not {@linkplain OutboxRecordSize#publishable publishable} within the limit, the original's value is left out; if that is not
 * enough its key too, then its headers (each step only if the one before did not fit), and the payload says so
 * ({@link DeadLetterJson.Omission}, header {@code dlq-payload-omitted}). With a limit of at least
 * {@value #MIN_DEAD_LETTER_RECORD_BYTES} bytes the smallest form always fits for records whose error detail and
 * CloudEvents source are of ordinary length (under a few KB; the cancel consumer's are).
 */
public final class OutboxMessages {

    static final String ORDER_AGGREGATE = "order";
    static final String DEAD_LETTER_AGGREGATE = "dead-letter";
    static final String TRACEPARENT = "traceparent";
    static final String CORRELATION_ID = "x-correlation-id";
    /** Longest header value, in UTF-16 chars (dlq-error is the long one). */
    static final int MAX_HEADER_LENGTH = 500;
    /**
     * The smallest limit a dead letter may be given: the dead letter without the original's key, value and headers
     * is then far below it (its text fields are bounded: header values {@value #MAX_HEADER_LENGTH} chars, inbox key
     * and consumer a few hundred bytes).
     */
    public static final int MIN_DEAD_LETTER_RECORD_BYTES = 65_536;
    /** Header naming the original's parts a dead letter leaves out ({@code value}, {@code value,key}, ...). */
    static final String PAYLOAD_OMITTED_HEADER = "dlq-payload-omitted";
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

    /**
     * The dead letter as the relay will publish it, complete if that fits in {@value OutboxRecordSize#KAFKA_DEFAULT_MAX_REQUEST_SIZE}
     * bytes (Kafka's default {@code max.request.size}), else with parts of the original left out.
     *
     * @param source CloudEvents source of this process, e.g. {@code /order-service/cancel-consumer-fn}
     */
    public static OutboxMessage of(DeadLetter letter, String source) {
        return of(letter, source, OutboxRecordSize.KAFKA_DEFAULT_MAX_REQUEST_SIZE);
    }

    /**
     * The dead letter as the relay will publish it: complete if the relay can publish it
     * ({@link OutboxRecordSize#publishable}: its record at most {@code maxRecordBytes} less
     * {@value OutboxRecordSize#COMPRESSION_ALLOWANCE} bytes for compression framing), else without the original's
     * value, then also without its key, then also without its headers, the first of these that fits. If none fits (a limit below {@value #MIN_DEAD_LETTER_RECORD_BYTES} or an extraordinary error
     * detail or source), the smallest form: the relay then parks it, alarmed, and it is still not lost.
     *
     * @param source         CloudEvents source of this process, e.g. {@code /order-service/cancel-consumer-fn}
     * @param maxRecordBytes the relay producer's {@code max.request.size}, in bytes as {@link OutboxRecordSize} counts
     */
    public static OutboxMessage of(DeadLetter letter, String source, int maxRecordBytes) {
        OutboxMessage complete = deadLetter(letter, source, DeadLetterJson.encode(letter), null);
        if (OutboxRecordSize.publishable(complete, maxRecordBytes)) {
            return complete;
        }
        long completeBytes = OutboxRecordSize.upperBound(complete);
        long bound = OutboxRecordSize.publishableBound(maxRecordBytes);
        List<DeadLetterJson.Part> order = List.of(DeadLetterJson.Part.values());
        OutboxMessage smaller = complete;
        for (int omitted = 1; omitted <= order.size(); omitted++) {
            var omission = new DeadLetterJson.Omission(order.subList(0, omitted), bound, completeBytes);
            smaller = of(letter, source, omission);
            if (OutboxRecordSize.publishable(smaller, maxRecordBytes)) {
                return smaller;
            }
        }
        return smaller;
    }

    /** The dead letter without the parts {@code omission} names, whether it fits or not. */
    static OutboxMessage of(DeadLetter letter, String source, DeadLetterJson.Omission omission) {
        return deadLetter(letter, source, DeadLetterJson.encode(letter, omission), omission);
    }

    private static OutboxMessage deadLetter(DeadLetter letter, String source, byte[] payload,
            DeadLetterJson.Omission omission) {
        var headers = traceHeaders(letter.trace());
        headers.put(OrderEventJson.DATASCHEMA_HEADER, DeadLetterJson.DATASCHEMA);
        headers.put("dlq-error-kind", letter.errorKind().name());
        headers.put("dlq-error", letter.errorMessage());
        headers.put("dlq-consumer", letter.consumer());
        headers.put("dlq-source-topic", letter.message().topic());
        headers.put("dlq-source-partition", Integer.toString(letter.message().partition()));
        headers.put("dlq-source-offset", Long.toString(letter.message().offset()));
        if (omission != null) {
            headers.put(PAYLOAD_OMITTED_HEADER, omission.partList());
        }
        // jsonb cannot hold U+0000 and the driver would send an unpaired surrogate as '?': a poison record's text may
        // contain either (the exact bytes are in the payload).
        headers.replaceAll((name, value) -> storable(value, MAX_HEADER_LENGTH));
        UUID messageId = UUID.nameUUIDFromBytes(("dead-letter|" + letter.consumer() + "|" + letter.inboxKey())
                .getBytes(StandardCharsets.UTF_8));
        return new OutboxMessage(messageId, DEAD_LETTER_AGGREGATE, aggregateId(letter), DeadLetter.ORDER_CANCELLED_DLQ,
                source, DeadLetterJson.CONTENT_TYPE, letter.deadLetteredAt(), payload, headers);
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
