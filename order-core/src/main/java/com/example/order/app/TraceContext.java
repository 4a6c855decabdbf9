package com.example.order.app;

/**
 * Tracing metadata the request carried, passed on to events as extra Kafka headers.
 *
 * @param traceparent   W3C trace context header, or null
 * @param correlationId the caller's correlation id ({@code x-correlation-id}), or null
 */
public record TraceContext(String traceparent, String correlationId) {

    public static TraceContext none() {
        return new TraceContext(null, null);
    }
}
