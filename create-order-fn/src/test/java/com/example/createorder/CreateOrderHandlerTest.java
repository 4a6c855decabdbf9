package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.servers.TestLambdaContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Drives the function exactly as Lambda does: the configured handler class, fed API Gateway v2 events. */
class CreateOrderHandlerTest {

    static CreateOrderFunction handler;
    static JsonMapper json;
    static ApiGatewayEvents events;

    @BeforeAll
    static void startHandler() {
        handler = new CreateOrderFunction(ApplicationContext.run(TestDatabase.properties()));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
        events = new ApiGatewayEvents(json);
    }

    @AfterAll
    static void stop() {
        handler.getApplicationContext().close();
    }

    static APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, new TestLambdaContext());
    }

    /** Reads response bodies independently of any handler's context, so other test classes can share the asserts. */
    private static final ObjectMapper RESPONSE_JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        try {
            return RESPONSE_JSON.readValue(response.getBody(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String header(APIGatewayV2HTTPResponse response, String name) {
        return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @Test
    void postFixtureCreatesOrderWithItsEventAndGetReturnsIt() {
        APIGatewayV2HTTPEvent event = events.postOrdersFixtureAsIs();
        UUID customerId = UUID.randomUUID();
        event.setBody(RequestBodies.valid(customerId));

        APIGatewayV2HTTPResponse created = invoke(event);

        assertThat(created.getStatusCode()).isEqualTo(201);
        Map<String, Object> order = body(created);
        String orderId = (String) order.get("orderId");
        assertThat(header(created, "Location")).isEqualTo("/orders/" + orderId);
        assertThat(order).containsEntry("status", "CREATED").containsEntry("customerId", customerId.toString());
        assertThat(created.getBody()).contains("\"totalAmount\":23.50");
        assertThat(TestDatabase.outboxRowsFor(UUID.fromString(orderId))).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from outbox_message where aggregate_id = ? and event_type = 'order.created'"
                + " and source = '/order-service/create-order-fn' and headers->>'x-correlation-id' = 'checkout-7f3a'"
                + " and headers->>'traceparent' like '00-4bf92f35%'", orderId)).isEqualTo(1);

        APIGatewayV2HTTPResponse read = invoke(events.getOrder(orderId));
        assertThat(read.getStatusCode()).isEqualTo(200);
        Map<String, Object> readBody = body(read);
        assertThat(readBody).containsEntry("orderId", orderId).containsEntry("status", "CREATED")
                .containsKeys("createdAt", "updatedAt");
        assertThat((List<?>) readBody.get("items")).hasSize(2);
        assertThat(read.getBody()).contains("\"totalAmount\":23.50", "\"unitPrice\":10.25", "\"unitPrice\":3.00");
    }

    @Test
    void base64EncodedBodyIsDecoded() {
        UUID customerId = UUID.randomUUID();
        APIGatewayV2HTTPResponse created = invoke(events.postOrdersBase64(RequestBodies.valid(customerId)));
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(TestDatabase.ordersOf(customerId)).isEqualTo(1);
    }

    @Test
    void unknownFieldsAreIgnored() {
        UUID customerId = UUID.randomUUID();
        String body = RequestBodies.valid(customerId).replaceFirst("\\{", "{\"note\":{\"gift\":true},\"totalAmount\":0.01,");
        APIGatewayV2HTTPResponse created = invoke(events.postOrders(body));
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getBody()).contains("\"totalAmount\":23.50"); // never the client's total
    }

    @Test
    void getUnknownIs404AndMalformedIdIs400() {
        APIGatewayV2HTTPResponse unknown = invoke(events.getOrder(UUID.randomUUID().toString()));
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(header(unknown, "Content-Type")).startsWith(Problem.MEDIA_TYPE);

        APIGatewayV2HTTPResponse malformed = invoke(events.getOrder("not-a-uuid"));
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(header(malformed, "Content-Type")).startsWith(Problem.MEDIA_TYPE);
        assertThat(fields(malformed)).containsExactly("id");
    }

    static Stream<BadInput> badInputs() {
        return BadInput.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsProblemNamingTheFieldAndWritesNothing(BadInput input) {
        long rowsBefore = TestDatabase.allRows();
        APIGatewayV2HTTPResponse response = invoke(events.postOrders(input.body()));
        assertProblem(response, input.status(), input.field());
        assertThat(TestDatabase.allRows()).isEqualTo(rowsBefore);
    }

    @Test
    void wrongOrMissingContentTypeIs415() {
        for (String contentType : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            long rowsBefore = TestDatabase.allRows();
            APIGatewayV2HTTPEvent event = events.postOrders(RequestBodies.valid(UUID.randomUUID()));
            if (contentType == null) {
                event.getHeaders().remove("content-type");
            } else {
                event.getHeaders().put("content-type", contentType);
            }
            assertProblem(invoke(event), 415, "Content-Type");
            assertThat(TestDatabase.allRows()).isEqualTo(rowsBefore);
        }
    }

    @Test
    void bodyOver64KiBIs413() {
        long rowsBefore = TestDatabase.allRows();
        String padded = RequestBodies.valid(UUID.randomUUID()).replaceFirst("\\{", "{\"pad\":\"" + "x".repeat(65_536) + "\",");
        assertProblem(invoke(events.postOrders(padded)), 413, "body");
        assertThat(TestDatabase.allRows()).isEqualTo(rowsBefore);
    }

    @Test
    void idempotencyKeyReplaysTheOriginalOrderAndRejectsADifferentBody() {
        String key = "order-attempt-" + UUID.randomUUID();
        UUID customerId = UUID.randomUUID();
        String body = RequestBodies.valid(customerId);
        APIGatewayV2HTTPEvent first = events.postOrders(body);
        first.getHeaders().put("idempotency-key", key);
        APIGatewayV2HTTPResponse original = invoke(first);
        assertThat(original.getStatusCode()).isEqualTo(201);
        String orderId = (String) body(original).get("orderId");
        long rowsAfterFirst = TestDatabase.allRows();

        // Same key, same content with different formatting: the original order, nothing new written.
        APIGatewayV2HTTPEvent retry = events.postOrders(body.replace(",", " , ").replace("10.25", "10.250"));
        retry.getHeaders().put("idempotency-key", key);
        APIGatewayV2HTTPResponse replayed = invoke(retry);
        assertThat(replayed.getStatusCode()).isEqualTo(201);
        assertThat(body(replayed)).containsEntry("orderId", orderId);
        assertThat(header(replayed, OrderController.REPLAYED)).isEqualTo("true");
        assertThat(TestDatabase.allRows()).isEqualTo(rowsAfterFirst);

        APIGatewayV2HTTPEvent different = events.postOrders(RequestBodies.valid(customerId));
        different.getHeaders().put("idempotency-key", key);
        APIGatewayV2HTTPResponse conflict = invoke(different);
        assertProblem(conflict, 422, "Idempotency-Key");
        assertThat(body(conflict).get("detail").toString()).contains(orderId);
        assertThat(TestDatabase.allRows()).isEqualTo(rowsAfterFirst);
        assertThat(TestDatabase.ordersOf(customerId)).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = ? and order_id = ?::uuid",
                key, orderId)).isEqualTo(1);
    }

    @Test
    void invalidIdempotencyKeyIs400() {
        long rowsBefore = TestDatabase.allRows();
        APIGatewayV2HTTPEvent event = events.postOrders(RequestBodies.valid(UUID.randomUUID()));
        event.getHeaders().put("idempotency-key", "k".repeat(201));
        assertProblem(invoke(event), 400, "Idempotency-Key");
        assertThat(TestDatabase.allRows()).isEqualTo(rowsBefore);
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String field) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(header(response, "Content-Type")).as(response.getBody()).startsWith(Problem.MEDIA_TYPE);
        Map<String, Object> problem = body(response);
        assertThat(problem).containsKeys("type", "title", "detail").containsEntry("status", status);
        assertThat(fields(response)).as(response.getBody()).contains(field);
    }

    @SuppressWarnings("unchecked")
    static List<String> fields(APIGatewayV2HTTPResponse response) {
        var errors = (List<Map<String, Object>>) body(response).get("errors");
        return errors.stream().map(e -> (String) e.get("field")).toList();
    }
}
