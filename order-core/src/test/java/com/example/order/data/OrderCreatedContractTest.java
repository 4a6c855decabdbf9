package com.example.order.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.contracts.EventContracts;
import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.app.TraceContext;
import com.example.order.domain.OrderDraft;
import com.example.order.domain.OrderRules;
import com.example.order.events.OrderEventJson;
import com.example.order.testing.OutboxRecords;
import com.example.order.testing.SharedOrderDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every order.created the create use case writes to the outbox, as the relay will send it, conforms to contracts/order.created/v1. */
class OrderCreatedContractTest {

    static final EventContracts CONTRACTS = new EventContracts();
    static CreateOrder createOrder;

    @BeforeAll
    static void setUp() {
        createOrder = new CreateOrder(SharedOrderDatabase.orderStore().transactions("/order-service/create-order-fn"),
                Clock.systemUTC());
    }

    static ProducerRecord<byte[], byte[]> created(OrderDraft draft, TraceContext trace) {
        var result = (CreateOrderResult.Created) createOrder.create(new CreateOrderCommand(draft, null, trace));
        List<ProducerRecord<byte[], byte[]>> records = OutboxRecords.pending("order.created", result.order().id().toString());
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    static OrderDraft.Line line(BigInteger quantity, String unitPrice) {
        return new OrderDraft.Line(UUID.randomUUID(), quantity, new BigDecimal(unitPrice));
    }

    @Test
    void orderCreatedAsWrittenToTheOutboxConformsWithAndWithoutTraceHeaders() {
        var drafts = new ArrayList<OrderDraft>();
        drafts.add(new OrderDraft(UUID.randomUUID(), List.of(line(BigInteger.ONE, "0.01"))));
        drafts.add(new OrderDraft(UUID.randomUUID(), List.of(line(BigInteger.valueOf(OrderRules.MAX_QUANTITY),
                OrderRules.MAX_UNIT_PRICE.toPlainString()), line(BigInteger.TWO, "3"))));
        drafts.add(new OrderDraft(UUID.randomUUID(), IntStream.range(0, OrderRules.MAX_ITEMS)
                .mapToObj(i -> line(BigInteger.valueOf(i + 1), "19.99")).toList()));
        var traces = List.of(new TraceContext(null, null), new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "corr-1"),
                new TraceContext("not a w3c traceparent, passed through", null));
        int checked = 0;
        for (OrderDraft draft : drafts) {
            for (TraceContext trace : traces) {
                ProducerRecord<byte[], byte[]> record = created(draft, trace);
                Map<String, String> headers = OutboxRecords.headers(record.headers());
                CONTRACTS.requireValid("order.created", record.value(), headers);
                assertThat(headers.get("ce_dataschema")).isEqualTo(EventContracts.dataSchema("order.created", 1))
                        .isEqualTo(OrderEventJson.ORDER_CREATED_DATASCHEMA);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(9);
    }

    @Test
    void theCheckWouldCatchARecordWithoutItsVersionHeader() {
        ProducerRecord<byte[], byte[]> record = created(new OrderDraft(UUID.randomUUID(), List.of(line(BigInteger.ONE, "5"))),
                new TraceContext(null, null));
        record.headers().remove("ce_dataschema");
        assertThatThrownBy(() -> CONTRACTS.requireValid("order.created", record.value(), OutboxRecords.headers(record.headers())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("ce_dataschema");
    }
}
