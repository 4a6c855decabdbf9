package com.example.createorder;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;

/** Real-shaped API Gateway HTTP API (payload 2.0) events, read from JSON fixtures in src/test/resources/events. */
final class ApiGatewayEvents {

    private final JsonMapper json;

    ApiGatewayEvents(JsonMapper json) {
        this.json = json;
    }

    /** The POST /orders fixture with the given raw body (and its headers). */
    APIGatewayV2HTTPEvent postOrders(String body) {
        APIGatewayV2HTTPEvent event = read("post-orders.json", null);
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.setBody(body);
        event.getHeaders().put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        return event;
    }

    /** Like API Gateway does for binary-ish payloads: body base64-encoded, isBase64Encoded true. */
    APIGatewayV2HTTPEvent postOrdersBase64(String body) {
        APIGatewayV2HTTPEvent event = postOrders(body);
        event.setBody(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);
        return event;
    }

    APIGatewayV2HTTPEvent postOrdersFixtureAsIs() {
        return read("post-orders.json", null);
    }

    APIGatewayV2HTTPEvent getOrder(String id) {
        return read("get-order.json", id);
    }

    private APIGatewayV2HTTPEvent read(String name, String orderId) {
        try (InputStream in = ApiGatewayEvents.class.getResourceAsStream("/events/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (orderId != null) {
                text = text.replace("ORDER_ID", orderId);
            }
            return json.readValue(text, APIGatewayV2HTTPEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
