package com.example.order.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.domain.OrderCreated;
import com.example.order.domain.OrderItem;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@code order.created} record value, byte for byte: every field a consumer reads, in its documented form. */
class OrderCreatedPayloadTest {

    @Test
    void everyFieldIsWrittenWithPlainDecimals() {
        var event = new OrderCreated(UUID.fromString("00000000-0000-0000-0000-00000000000e"),
                UUID.fromString("00000000-0000-0000-0000-00000000000a"), UUID.fromString("00000000-0000-0000-0000-00000000000c"),
                new BigDecimal("1E+2").setScale(2), List.of(
                        new OrderItem(UUID.fromString("00000000-0000-0000-0000-000000000001"), 2, new BigDecimal("25.00")),
                        new OrderItem(UUID.fromString("00000000-0000-0000-0000-000000000002"), 1, new BigDecimal("50.00"))),
                Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(new String(OrderEventJson.encode(event), StandardCharsets.UTF_8)).isEqualTo("{"
                + "\"eventId\":\"00000000-0000-0000-0000-00000000000e\","
                + "\"orderId\":\"00000000-0000-0000-0000-00000000000a\","
                + "\"customerId\":\"00000000-0000-0000-0000-00000000000c\","
                + "\"totalAmount\":100.00,"
                + "\"items\":[{\"productId\":\"00000000-0000-0000-0000-000000000001\",\"quantity\":2,\"unitPrice\":25.00},"
                + "{\"productId\":\"00000000-0000-0000-0000-000000000002\",\"quantity\":1,\"unitPrice\":50.00}],"
                + "\"occurredAt\":\"2026-01-02T03:04:05.123456Z\"}");
    }
}
