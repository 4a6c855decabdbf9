package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many creates at once, as many Lambda environments would do against one database: every order gets exactly one
 * outbox row, none lost, none duplicated; and one Idempotency-Key sent in parallel creates exactly one order.
 */
class ConcurrencyTest {

    static final int THREADS = 8;
    static final int ORDERS = 160;

    static CreateOrderFunction handler;
    static ApiGatewayEvents events;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        var properties = new java.util.HashMap<String, Object>(TestDatabase.properties());
        properties.put("datasources.default.maximum-pool-size", THREADS); // one connection per simulated environment
        handler = new CreateOrderFunction(ApplicationContext.run(properties));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
        events = new ApiGatewayEvents(json);
    }

    @AfterAll
    static void stop() {
        handler.getApplicationContext().close();
    }

    @Test
    void parallelCreatesProduceExactlyOneOutboxRowPerOrder() throws Exception {
        UUID customerId = UUID.randomUUID();
        List<Callable<APIGatewayV2HTTPResponse>> calls = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            calls.add(() -> handler.handleRequest(events.postOrders(RequestBodies.valid(customerId)), new TestLambdaContext()));
        }
        var orderIds = new HashSet<String>();
        for (APIGatewayV2HTTPResponse response : runAll(calls)) {
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
            orderIds.add(orderId(response));
        }
        assertThat(orderIds).hasSize(ORDERS);
        assertThat(TestDatabase.ordersOf(customerId)).isEqualTo(ORDERS);
        // One outbox row per order of this customer, each carrying its own order id as key and in its payload.
        assertThat(TestDatabase.count("""
                select count(*) from orders o join outbox_message m on m.aggregate_id = o.id::text
                where o.customer_id = ? and m.event_type = 'order.created'
                  and convert_from(m.payload, 'UTF8')::jsonb->>'orderId' = o.id::text""", customerId)).isEqualTo(ORDERS);
        assertThat(TestDatabase.count("""
                select count(*) from (select m.aggregate_id from orders o join outbox_message m on m.aggregate_id = o.id::text
                where o.customer_id = ? group by m.aggregate_id having count(*) <> 1) x""", customerId)).isZero();
    }

    @Test
    void parallelRequestsWithOneIdempotencyKeyCreateOneOrder() throws Exception {
        UUID customerId = UUID.randomUUID();
        String body = RequestBodies.valid(customerId);
        String key = "parallel-" + UUID.randomUUID();
        List<Callable<APIGatewayV2HTTPResponse>> calls = new ArrayList<>();
        for (int i = 0; i < THREADS * 2; i++) {
            calls.add(() -> {
                APIGatewayV2HTTPEvent event = events.postOrders(body);
                event.getHeaders().put("idempotency-key", key);
                return handler.handleRequest(event, new TestLambdaContext());
            });
        }
        var orderIds = new HashSet<String>();
        for (APIGatewayV2HTTPResponse response : runAll(calls)) {
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
            orderIds.add(orderId(response));
        }
        assertThat(orderIds).hasSize(1);
        assertThat(TestDatabase.ordersOf(customerId)).isEqualTo(1);
        assertThat(TestDatabase.outboxRowsFor(UUID.fromString(orderIds.iterator().next()))).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = ?", key)).isEqualTo(1);
    }

    static List<APIGatewayV2HTTPResponse> runAll(List<Callable<APIGatewayV2HTTPResponse>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            var results = new ArrayList<APIGatewayV2HTTPResponse>();
            for (Future<APIGatewayV2HTTPResponse> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    static String orderId(APIGatewayV2HTTPResponse response) throws Exception {
        return (String) json.readValue(response.getBody(), Map.class).get("orderId");
    }
}
