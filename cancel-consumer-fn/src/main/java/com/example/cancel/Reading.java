package com.example.cancel;

import com.example.order.app.DeadLetter.ErrorKind;
import com.example.order.app.TraceContext;
import java.time.Instant;
import java.util.UUID;

/** What {@link CancellationReader} made of one record. */
sealed interface Reading {

    /** The inbox key, from the event id if the record has one, else from its position ({@link InboxKeys}). */
    String inboxKey();

    /** The event id ({@code ce_id} or payload {@code eventId}) for logs (abbreviated, storable), or null. */
    String eventId();

    TraceContext trace();

    /** A usable cancellation. */
    record Cancellation(String inboxKey, String eventId, TraceContext trace, UUID orderId, String reason,
            Instant cancelledAt) implements Reading {
    }

    /**
     * A record that can never be applied, whatever the retries.
     *
     * @param kind    why: the dead letter's error kind (the one list of kinds is order-core's)
     * @param orderId the order id if one could be read (for logs), else null
     */
    record Poison(String inboxKey, String eventId, TraceContext trace, ErrorKind kind, String detail, String orderId)
            implements Reading {
    }
}
