package com.example.order.app;

import java.time.Instant;
import java.util.Objects;

/**
 * A message a consumer could not use and will never be able to use (poison), with why.
 *
 * @param consumer     the consumer that gave up on it (its inbox name)
 * @param messageKey   the inbox key the message was recorded under
 * @param message      the message exactly as received
 * @param errorKind    machine-readable reason, e.g. {@code MALFORMED_JSON}, {@code UNKNOWN_ORDER}
 * @param errorMessage human-readable detail
 * @param deadLetteredAt when the consumer gave up
 * @param trace        tracing headers the message carried, passed on to the dead-letter record
 */
public record DeadLetter(String consumer, String messageKey, ReceivedMessage message, String errorKind,
        String errorMessage, Instant deadLetteredAt, TraceContext trace) {

    /** The event type (and, by default, topic) of dead-lettered cancellations. */
    public static final String ORDER_CANCELLED_DLQ = "order.cancelled.dlq";

    public DeadLetter {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(messageKey, "messageKey");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(errorKind, "errorKind");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        errorMessage = errorMessage == null ? "" : errorMessage;
        trace = trace == null ? TraceContext.none() : trace;
    }
}
