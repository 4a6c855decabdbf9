package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP-level tests through Micronaut's api-proxy test server: a real HTTP request is turned into an API Gateway
 * v2 event and handed to APIGatewayV2HTTPEventFunction, so these see what a client of the HTTP API sees.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateOrderHttpTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        var props = new java.util.HashMap<String, String>();
        TestDatabase.properties().forEach((k, v) -> props.put(k, v.toString()));
        return props;
    }

    HttpResponse<String> exchange(MutableHttpRequest<?> request) {
        try {
            return client.toBlocking().exchange(request, Argument.STRING, Argument.STRING);
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> response = (HttpResponse<String>) e.getResponse();
            return response;
        }
    }

    String body(HttpResponse<?> response) {
        return response.getBody(String.class).orElse("");
    }

    @Test
    void createThenGetOverHttp() {
        UUID customerId = UUID.randomUUID();
        HttpResponse<String> created = exchange(HttpRequest.POST("/orders", RequestBodies.valid(customerId))
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("Idempotency-Key", "http-" + customerId));
        assertThat(created.code()).isEqualTo(201);
        String location = created.header("Location");
        assertThat(location).startsWith("/orders/");
        String orderId = location.substring("/orders/".length());
        assertThat(body(created)).contains("\"orderId\":\"" + orderId + "\"", "\"totalAmount\":23.50");

        HttpResponse<String> read = exchange(HttpRequest.GET(location));
        assertThat(read.code()).isEqualTo(200);
        assertThat(body(read)).contains("\"orderId\":\"" + orderId + "\"", "\"status\":\"CREATED\"");

        HttpResponse<String> replay = exchange(HttpRequest.POST("/orders", RequestBodies.valid(customerId))
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("Idempotency-Key", "http-" + customerId));
        assertThat(replay.code()).isEqualTo(422); // same key, different product ids: a different request
        assertThat(TestDatabase.ordersOf(customerId)).isEqualTo(1);
    }

    @Test
    void unknownAndMalformedIds() {
        assertProblem(exchange(HttpRequest.GET("/orders/" + UUID.randomUUID())), 404, null);
        assertProblem(exchange(HttpRequest.GET("/orders/12345")), 400, "id");
    }

    Stream<BadInput> badInputs() {
        return BadInput.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputOverHttp(BadInput input) {
        long before = TestDatabase.allRows();
        assertProblem(exchange(HttpRequest.POST("/orders", input.body()).contentType(MediaType.APPLICATION_JSON_TYPE)),
                input.status(), input.field());
        assertThat(TestDatabase.allRows()).isEqualTo(before);
    }

    @Test
    void wrongContentTypeIs415AndOversizedBodyIs413() {
        long before = TestDatabase.allRows();
        assertProblem(exchange(HttpRequest.POST("/orders", RequestBodies.valid(UUID.randomUUID()))
                .contentType(MediaType.TEXT_PLAIN_TYPE)), 415, "Content-Type");
        String padded = RequestBodies.valid(UUID.randomUUID())
                .replaceFirst("\\{", "{\"pad\":\"" + "x".repeat(70_000) + "\",");
        assertProblem(exchange(HttpRequest.POST("/orders", padded).contentType(MediaType.APPLICATION_JSON_TYPE)), 413, "body");
        assertThat(TestDatabase.allRows()).isEqualTo(before);
    }

    void assertProblem(HttpResponse<String> response, int status, String field) {
        String body = body(response);
        assertThat(response.code()).as(body).isEqualTo(status);
        assertThat(response.getHeaders().get("Content-Type")).as(body).startsWith(Problem.MEDIA_TYPE);
        assertThat(body).contains("\"status\":" + status, "\"type\":", "\"title\":", "\"detail\":");
        if (field != null) {
            assertThat(body).contains("\"field\":\"" + field + "\"");
        }
    }
}
