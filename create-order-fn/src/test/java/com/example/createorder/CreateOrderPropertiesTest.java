package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.servers.TestLambdaContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based tests of the create-order function through its Lambda handler and real PostgreSQL. Fixed seeds
 * (printed in jqwik's report), 200 tries each. Generated requests mix valid orders in every number notation with
 * hostile paths, header names and values (control characters, whitespace, non-ASCII, unpaired surrogates), cookies,
 * query parameters, bodies and base64 flags. HEAD is left out: its answers carry no body by definition.
 */
class CreateOrderPropertiesTest {

    static CreateOrderFunction handler;
    static ApiGatewayEvents events;
    /** An independent reading of request and response bodies, with exact decimals, for the total's oracle. */
    static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @BeforeContainer
    static void startHandler() {
        handler = new CreateOrderFunction(ApplicationContext.run(TestDatabase.properties()));
        events = new ApiGatewayEvents(handler.getApplicationContext().getBean(JsonMapper.class));
    }

    @AfterContainer
    static void stop() {
        handler.getApplicationContext().close();
    }

    /** One generated HTTP request. */
    record Request(String method, String path, Map<String, String> extraHeaders, String body, boolean base64,
            List<String> cookies, Map<String, String> query) {
    }

    @Property(tries = 200, seed = "20261130")
    void noRequestGets5xxA4xxIsAProblemAndWritesNothingA201HasTheExactTotal(@ForAll("requests") Request request)
            throws Exception {
        APIGatewayV2HTTPEvent event = events.postOrders(request.body());
        event.getRequestContext().getHttp().setMethod(request.method());
        event.getRequestContext().getHttp().setPath(request.path());
        event.setRawPath(request.path());
        event.getHeaders().putAll(request.extraHeaders());
        event.setCookies(request.cookies());
        event.setQueryStringParameters(request.query());
        event.setRawQueryString(request.query().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&")));
        if (request.base64()) {
            event.setBody(Base64.getEncoder().encodeToString(request.body().getBytes(StandardCharsets.UTF_8)));
            event.setIsBase64Encoded(true);
        }
        long rowsBefore = TestDatabase.allRows();

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext());

        int status = response.getStatusCode();
        Statistics.collect(status); // the report shows the mix of answers, so a vacuous run is visible
        assertThat(status).as(response.getBody()).isBetween(200, 499);
        if (status >= 400) {
            assertThat(contentType(response)).as(response.getBody()).startsWith(Problem.MEDIA_TYPE);
            JsonNode problem = EXACT.readTree(response.getBody());
            assertThat(problem.get("status").asInt()).isEqualTo(status);
            assertThat(problem.has("type") && problem.has("title") && problem.get("errors").isArray()).isTrue();
            assertThat(TestDatabase.allRows()).as("rows written by a " + status).isEqualTo(rowsBefore);
        } else if (status == 201) {
            assertExactTotal(request.body(), response);
        }
    }

    @Property(tries = 200, seed = "9")
    void everyValidOrderInAnyNumberNotationIsCreatedWithTheExactTotal(@ForAll("validOrders") String body)
            throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(events.postOrders(body), new TestLambdaContext());
        assertThat(response.getStatusCode()).as(body + " -> " + response.getBody()).isEqualTo(201);
        assertExactTotal(body, response);
    }

    /** totalAmount equals the sum of quantity * unitPrice over the request's items, exactly, and the row exists. */
    static void assertExactTotal(String requestBody, APIGatewayV2HTTPResponse response) throws Exception {
        BigDecimal expected = BigDecimal.ZERO;
        for (JsonNode item : EXACT.readTree(requestBody).get("items")) {
            expected = expected.add(item.get("unitPrice").decimalValue()
                    .multiply(new BigDecimal(item.get("quantity").bigIntegerValue())));
        }
        JsonNode created = EXACT.readTree(response.getBody());
        assertThat(created.get("totalAmount").decimalValue()).as(response.getBody()).isEqualByComparingTo(expected);
        assertThat(TestDatabase.outboxRowsFor(UUID.fromString(created.get("orderId").asText()))).isEqualTo(1);
    }

    static String contentType(APIGatewayV2HTTPResponse response) {
        return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                .map(Map.Entry::getValue).findFirst().orElse("");
    }

    // --- generators ------------------------------------------------------------------------------------------------

    /** Text from an alphabet that favours what breaks parsers: controls, DEL, %, +, ;, spaces, non-ASCII, surrogates. */
    static Arbitrary<String> hostileText(int maxLength) {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.chars().range('!', '~')),
                Tuple.of(2, Arbitraries.chars().range('\u0000', '\u001F')),
                Tuple.of(2, Arbitraries.of(' ', '\t', '\u007F', '%', '+', ';', '/', '\\', '"', '{')),
                Tuple.of(1, Arbitraries.of('\u00E9', '\u00A0', '\u2028', '\uD800', '\uDC00', '\uFFFF')));
        return chars.list().ofMaxSize(maxLength).map(list -> list.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> method = Arbitraries.frequency(
                Tuple.of(12, "POST"), Tuple.of(5, "GET"), Tuple.of(1, "DELETE"),
                Tuple.of(1, "PUT"), Tuple.of(1, "OPTIONS"), Tuple.of(1, "BREW"));
        Arbitrary<String> path = Arbitraries.oneOf(
                Arbitraries.just("/orders"), Arbitraries.just("/orders"), Arbitraries.just("/orders"),
                Arbitraries.create(() -> "/orders/" + UUID.randomUUID()),
                hostileText(20).map(t -> "/orders/" + t),
                hostileText(20).map(t -> "/" + t),
                hostileText(10).map(t -> "/orders/" + UUID.randomUUID() + t));
        Arbitrary<String> headerName = Arbitraries.oneOf(
                Arbitraries.of("idempotency-key", "traceparent", "x-correlation-id", "content-type", "accept", "cookie"),
                Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(12),
                hostileText(8));
        Arbitrary<String> headerValue = Arbitraries.oneOf(
                hostileText(30),
                Arbitraries.create(() -> "key-" + UUID.randomUUID()),
                Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain", "",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        Arbitrary<Map<String, String>> headers = Combinators.combine(headerName, headerValue).as(Map::entry)
                .list().ofMaxSize(3).map(entries -> {
                    var map = new HashMap<String, String>();
                    entries.forEach(e -> map.put(e.getKey(), e.getValue()));
                    return map;
                });
        Arbitrary<String> body = Arbitraries.oneOf(validOrders(), validOrders(), mutatedOrders(), hostileText(60));
        Arbitrary<List<String>> cookies = hostileText(12).list().ofMaxSize(2);
        Arbitrary<Map<String, String>> query = Arbitraries.maps(hostileText(6), hostileText(10)).ofMaxSize(2);
        return Combinators.combine(method, path, headers, body, Arbitraries.of(false, false, false, true), cookies, query)
                .as(Request::new);
    }

    @Provide
    Arbitrary<String> validOrders() {
        Arbitrary<String> item = Combinators.combine(Arbitraries.integers().between(1, 10_000),
                Arbitraries.longs().between(1, 100_000_000L), Arbitraries.integers().between(0, 5))
                .as((quantity, cents, notation) -> "{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":" + quantity
                        + ",\"unitPrice\":" + priceLiteral(cents, notation) + "}");
        return item.list().ofMinSize(1).ofMaxSize(5).map(items -> "{\"customerId\":\"" + UUID.randomUUID()
                + "\",\"items\":[" + String.join(",", items) + "]}");
    }

    /** The same amount, {@code cents / 100}, written six different ways. */
    static String priceLiteral(long cents, int notation) {
        BigDecimal amount = BigDecimal.valueOf(cents, 2);
        return switch (notation) {
            case 0 -> amount.toPlainString();
            case 1 -> cents + "e-2";
            case 2 -> cents + "E-2";
            case 3 -> amount.toPlainString() + "000";
            case 4 -> amount.movePointLeft(8).toPlainString() + "e+8";
            default -> amount.scale() > 0 && amount.stripTrailingZeros().scale() <= 0
                    ? amount.stripTrailingZeros().toPlainString() : amount.toString();
        };
    }

    /** A valid order with one number or string replaced by hostile text or an extreme number literal. */
    Arbitrary<String> mutatedOrders() {
        Arbitrary<String> replacement = Arbitraries.oneOf(
                Arbitraries.of("1e-2147483649", "1e2147483649", "1E+9999999999", "0e2147483649", "100e2147483647",
                        "-1e-2147483648", "1e400", "0.001", "-0", "1.5", "\"1\"", "null", "[]", "{}", "true", "1" + "0".repeat(120)),
                Combinators.combine(Arbitraries.of("", "-"), Arbitraries.integers().between(0, 9),
                        Arbitraries.of("e", "E", "e+", "e-", "E-"), Arbitraries.longs().between(0, 99_999_999_999L))
                        .as((sign, digit, e, exponent) -> sign + digit + e + exponent),
                hostileText(12).map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        return Combinators.combine(validOrders(), Arbitraries.of("quantity", "unitPrice", "productId", "customerId"),
                replacement).as((order, field, value) -> order.replaceFirst(
                        "\"" + field + "\":(\"[^\"]*\"|[^,}]*)", Matcher.quoteReplacement("\"" + field + "\":" + value)));
    }
}
