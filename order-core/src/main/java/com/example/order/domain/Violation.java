package com.example.order.domain;

/**
 * One broken rule of a request or an order.
 *
 * @param field   path of the offending field as the client sent it, e.g. {@code customerId} or {@code items[3].unitPrice}
 * @param message what is wrong, in words a client developer can act on
 */
public record Violation(String field, String message) {
}
