package com.example.createorder;

import java.util.UUID;

/** Request bodies for POST /orders. */
final class RequestBodies {

    private RequestBodies() {
    }

    static String valid(UUID customerId) {
        return """
                {"customerId":"%s","items":[
                  {"productId":"%s","quantity":2,"unitPrice":10.25},
                  {"productId":"%s","quantity":1,"unitPrice":3}]}""".formatted(customerId, UUID.randomUUID(), UUID.randomUUID());
    }

    static String oneItem(String customerId, String productId, String quantity, String unitPrice) {
        return "{\"customerId\":" + customerId + ",\"items\":[{\"productId\":" + productId + ",\"quantity\":" + quantity
                + ",\"unitPrice\":" + unitPrice + "}]}";
    }

    static String quoted(UUID id) {
        return "\"" + id + "\"";
    }
}
