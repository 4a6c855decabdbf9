package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.util.HashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A failure after the outbox insert, inside the transaction, leaves no order, item, key or outbox row behind. */
class AtomicityTest {

    @Test
    void failureAfterOutboxInsertRollsBackOrderItemsKeyAndOutboxRow() {
        var properties = new HashMap<String, Object>(TestDatabase.properties());
        properties.put("test.fail-after-outbox-append", "true");
        var handler = new CreateOrderFunction(ApplicationContext.run(properties));
        try {
            var events = new ApiGatewayEvents(handler.getApplicationContext().getBean(JsonMapper.class));
            UUID customerId = UUID.randomUUID();
            String key = "atomic-" + UUID.randomUUID();
            long rowsBefore = TestDatabase.allRows();
            FailAfterOutboxAppend.lastAggregateId = null;

            APIGatewayV2HTTPEvent event = events.postOrders(RequestBodies.valid(customerId));
            event.getHeaders().put("idempotency-key", key);
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext());

            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(response.getHeaders().get("Content-Type")).startsWith(Problem.MEDIA_TYPE);
            // The rows really were written inside the transaction before the failure...
            assertThat(FailAfterOutboxAppend.rowsSeenInTransaction).isEqualTo(2);
            String orderId = FailAfterOutboxAppend.lastAggregateId;
            assertThat(orderId).isNotNull();
            // ...and none of them survived.
            assertThat(TestDatabase.count("select count(*) from orders where id = ?::uuid", orderId)).isZero();
            assertThat(TestDatabase.count("select count(*) from order_items where order_id = ?::uuid", orderId)).isZero();
            assertThat(TestDatabase.count("select count(*) from outbox_message where aggregate_id = ?", orderId)).isZero();
            assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = ?", key)).isZero();
            assertThat(TestDatabase.ordersOf(customerId)).isZero();
            assertThat(TestDatabase.allRows()).isEqualTo(rowsBefore);
        } finally {
            handler.getApplicationContext().close();
        }
    }
}
