package com.example.order.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to an order and is published through the outbox. The Kafka key is {@link #orderId()}.
 * Each implementation needs a JSON encoding in {@code com.example.order.events.OrderEventJson}.
 */
public interface OrderEvent {

    /** Unique per event; becomes the CloudEvents id and the outbox message id. */
    UUID eventId();

    /** CloudEvents type, e.g. {@code order.created}; the relay maps it to the topic of the same name. */
    String eventType();

    UUID orderId();

    Instant occurredAt();
}
