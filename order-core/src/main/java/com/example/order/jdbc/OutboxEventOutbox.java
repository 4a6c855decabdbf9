package com.example.order.jdbc;

import com.example.order.app.EventOutbox;
import com.example.order.app.StorageException;
import com.example.order.app.TraceContext;
import com.example.order.domain.OrderEvent;
import com.example.order.events.OrderEventJson;
import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;

/** {@link EventOutbox} over the outbox library: encodes the event as JSON and appends it on the transaction's connection. */
final class OutboxEventOutbox implements EventOutbox {

    static final String AGGREGATE_TYPE = "order";
    static final String TRACEPARENT = "traceparent";
    static final String CORRELATION_ID = "x-correlation-id";

    private final Connection connection;
    private final OutboxWriter writer;
    private final String source;

    OutboxEventOutbox(Connection connection, OutboxWriter writer, String source) {
        this.connection = connection;
        this.writer = writer;
        this.source = source;
    }

    @Override
    public void append(OrderEvent event, TraceContext trace) {
        var headers = traceHeaders(trace);
        headers.put(OrderEventJson.DATASCHEMA_HEADER, OrderEventJson.dataSchema(event));
        var message = new OutboxMessage(event.eventId(), AGGREGATE_TYPE, event.orderId().toString(), event.eventType(),
                source, OrderEventJson.CONTENT_TYPE, event.occurredAt(), OrderEventJson.encode(event), headers);
        try {
            writer.append(connection, message);
        } catch (SQLException e) {
            throw new StorageException("Outbox append failed for " + event.eventType() + " " + event.eventId(), e);
        }
    }

    /** The extra outbox headers that carry a request's trace: {@code traceparent} and {@code x-correlation-id}, when present. */
    static LinkedHashMap<String, String> traceHeaders(TraceContext trace) {
        var headers = new LinkedHashMap<String, String>();
        if (trace.traceparent() != null) {
            headers.put(TRACEPARENT, trace.traceparent());
        }
        if (trace.correlationId() != null) {
            headers.put(CORRELATION_ID, trace.correlationId());
        }
        return headers;
    }
}
