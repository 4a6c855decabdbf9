package com.example.order.domain;

/** Lifecycle of an order. The only transition is {@code CREATED -> CANCELLED}. */
public enum OrderStatus {
    CREATED,
    CANCELLED
}
