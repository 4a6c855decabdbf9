package com.example.cancel;

import com.example.order.app.TraceContext;
import java.time.Instant;
import java.util.UUID;

/** What {@link CancellationReader} made of one record. */
sealed interface Reading {

    /** The inbox key, from the event id if the record has one, else from its position ({@link MessageKeys}). */
    String messageKey();

    /** The event id ({@code ce_id} or payload {@code eventId}) for logs (abbreviated, storable), or null. */
    String eventId();

    TraceContext trace();

    /** A usable cancellation. */
    record Cancellation(String messageKey, String eventId, TraceContext trace, UUID orderId, String reason,
            Instant cancelledAt) implements Reading {
    }

    /**
     * A record that can never be applied, whatever the retries.
     *
     * @param orderId the order id if one could be read (for logs), else null
     */
    record Poison(String messageKey, String eventId, TraceContext trace, PoisonKind kind, String detail, String orderId)
            implements Reading {
    }

    /** Why a record is poison; the {@code error.kind} of its dead letter. */
    enum PoisonKind {
        /** Lambda's base64 key or value could not be decoded. */
        MALFORMED_RECORD,
        /** No value, not JSON, or not a JSON object. */
        MALFORMED_JSON,
        MISSING_ORDER_ID,
        INVALID_ORDER_ID,
        /** A field other than orderId has the wrong type or format (reason, occurredAt, eventId, ce_time). */
        INVALID_FIELD,
        /** {@code ce_specversion} other than 1.0, or payload {@code schemaVersion} other than 1. */
        UNSUPPORTED_SCHEMA,
        /** {@code ce_type} present and not {@code order.cancelled}. */
        UNSUPPORTED_EVENT_TYPE,
        /** {@code content-type} present and not JSON. */
        UNSUPPORTED_CONTENT_TYPE,
        /** A well-formed cancellation of an order that does not exist. */
        UNKNOWN_ORDER,
        /**
         * PostgreSQL refused the record's content with a data exception (SQLSTATE class 22) or a program limit
         * (class 54): an error that depends only on the content, so it would fail the same way on every retry.
         */
        UNSTORABLE_CONTENT
    }
}
