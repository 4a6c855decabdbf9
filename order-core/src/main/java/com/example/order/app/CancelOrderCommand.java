package com.example.order.app;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A well-formed request to cancel an order, received as a message.
 *
 * @param consumer    the consumer applying it (its inbox name)
 * @param inboxKey    the inbox key of the message (the cancel consumer derives it from its event id, else its position)
 * @param orderId     the order to cancel
 * @param reason      why (may be null)
 * @param cancelledAt when the cancellation happened
 * @param source      the message as received, dead-lettered if the order does not exist
 * @param trace       tracing headers the message carried
 */
public record CancelOrderCommand(String consumer, String inboxKey, UUID orderId, String reason, Instant cancelledAt,
        ReceivedMessage source, TraceContext trace) {

    public CancelOrderCommand {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(inboxKey, "inboxKey");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(cancelledAt, "cancelledAt");
        Objects.requireNonNull(source, "source");
        trace = trace == null ? TraceContext.none() : trace;
    }
}
