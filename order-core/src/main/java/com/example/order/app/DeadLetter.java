package com.example.order.app;

import java.time.Instant;
import java.util.Objects;

/**
 * A message a consumer could not use and will never be able to use (poison), with why.
 *
 * @param consumer     the consumer that gave up on it (its inbox name)
 * @param inboxKey     the inbox key the message was recorded under (the dead letter's JSON field {@code messageKey},
 *                     a name the {@code order.cancelled.dlq} v1 contract keeps)
 * @param message      the message exactly as received
 * @param errorKind    machine-readable reason ({@code error.kind} and {@code dlq-error-kind} of the dead letter)
 * @param errorMessage human-readable detail
 * @param deadLetteredAt when the consumer gave up
 * @param trace        tracing headers the message carried, passed on to the dead-letter record
 */
public record DeadLetter(String consumer, String inboxKey, ReceivedMessage message, ErrorKind errorKind,
        String errorMessage, Instant deadLetteredAt, TraceContext trace) {

    /** The event type (and, by default, topic) of dead-lettered cancellations. */
    public static final String ORDER_CANCELLED_DLQ = "order.cancelled.dlq";

    /**
     * Why a message was dead-lettered: its {@code error.kind} and {@code dlq-error-kind}, by {@link Enum#name()}.
     * The one list of kinds: the consumer's reader and {@link ApplyCancellation} both use it, and the
     * {@code order.cancelled.dlq} contract tells readers to accept kinds they do not know, so adding one is compatible.
     */
    public enum ErrorKind {
        /** Lambda's base64 key or value could not be decoded. */
        MALFORMED_RECORD,
        /** No value, not well-formed UTF-8, not exactly one JSON value with unique member names, or not an object. */
        MALFORMED_JSON,
        /** No {@code orderId}. */
        MISSING_ORDER_ID,
        /** {@code orderId} is not a UUID string. */
        INVALID_ORDER_ID,
        /** A field other than orderId has the wrong type or format (reason, occurredAt, eventId, ce_time, ce_id). */
        INVALID_FIELD,
        /** {@code ce_specversion} other than 1.0, or an event version the consumer cannot read. */
        UNSUPPORTED_SCHEMA,
        /** {@code ce_type} present and not {@code order.cancelled}. */
        UNSUPPORTED_EVENT_TYPE,
        /** {@code content-type} present and not JSON. */
        UNSUPPORTED_CONTENT_TYPE,
        /** A well-formed cancellation of an order that does not exist. */
        UNKNOWN_ORDER,
        /**
         * The cancellation's time ({@code occurredAt}, else {@code ce_time}, else the record timestamp) is before its
         * order was created or after now, by more than {@link ApplyCancellation#CLOCK_SKEW_LEEWAY}.
         */
        IMPLAUSIBLE_TIME,
        /**
         * PostgreSQL refused the record's content with a data exception (SQLSTATE class 22) or a program limit
         * (class 54): an error that depends only on the content, so it would fail the same way on every retry.
         */
        UNSTORABLE_CONTENT,
        /** The message's inbox key was already recorded for a message with other content (ADR 0027). */
        ID_REUSED_WITH_DIFFERENT_CONTENT
    }

    public DeadLetter {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(inboxKey, "inboxKey");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(errorKind, "errorKind");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        errorMessage = errorMessage == null ? "" : errorMessage;
        trace = trace == null ? TraceContext.none() : trace;
    }
}
