package com.example.order.events;

import com.example.order.domain.OrderCreated;
import com.example.order.domain.OrderEvent;
import com.example.order.domain.OrderItem;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The wire format (Kafka record value) of order events. Written with the Jackson streaming API so the field
 * names and order here ARE the contract, independent of any object mapper configuration.
 *
 * <p>{@code order.created}:
 * {@code {"eventId","orderId","customerId","totalAmount","items":[{"productId","quantity","unitPrice"}],"occurredAt"}},
 * amounts as JSON numbers with 2 decimals, {@code occurredAt} as ISO-8601 UTC.
 *
 * <p>The machine-readable contracts are in the repository's {@code contracts/} directory; each event carries its
 * contract's {@code $id} in the {@value #DATASCHEMA_HEADER} header (CloudEvents {@code dataschema}), which is how
 * its version travels (ADR 0060). Change the encoding here only together with the schema.
 */
public final class OrderEventJson {

    public static final String CONTENT_TYPE = "application/json";
    /** The CloudEvents {@code dataschema} attribute in the Kafka binary binding. */
    public static final String DATASCHEMA_HEADER = "ce_dataschema";
    /** Prefix of every contract's {@code $id}; the path below it is the file under {@code contracts/}. */
    static final String CONTRACTS = "https://order-service.example/contracts/";
    public static final String ORDER_CREATED_DATASCHEMA = CONTRACTS + "order.created/v1.schema.json";

    private static final JsonFactory FACTORY = new JsonFactory();

    private OrderEventJson() {
    }

    /** The {@code ce_dataschema} of the contract (type and version) {@link #encode} writes for this event. */
    public static String dataSchema(OrderEvent event) {
        return switch (event) {
            case OrderCreated created -> ORDER_CREATED_DATASCHEMA;
            default -> throw new IllegalArgumentException("No contract for event type " + event.eventType());
        };
    }

    public static byte[] encode(OrderEvent event) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            switch (event) {
                case OrderCreated created -> writeCreated(json, created);
                default -> throw new IllegalArgumentException("No JSON encoding for event type " + event.eventType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeCreated(JsonGenerator json, OrderCreated event) throws IOException {
        json.writeStartObject();
        json.writeStringField("eventId", event.eventId().toString());
        json.writeStringField("orderId", event.orderId().toString());
        json.writeStringField("customerId", event.customerId().toString());
        json.writeFieldName("totalAmount");
        json.writeNumber(event.totalAmount().toPlainString());
        json.writeArrayFieldStart("items");
        for (OrderItem item : event.items()) {
            json.writeStartObject();
            json.writeStringField("productId", item.productId().toString());
            json.writeNumberField("quantity", item.quantity());
            json.writeFieldName("unitPrice");
            json.writeNumber(item.unitPrice().toPlainString());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("occurredAt", event.occurredAt().toString());
        json.writeEndObject();
    }
}
