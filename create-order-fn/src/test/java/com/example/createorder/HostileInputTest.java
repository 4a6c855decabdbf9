package com.example.createorder;

import static com.example.createorder.CreateOrderHandlerTest.assertProblem;
import static com.example.createorder.CreateOrderHandlerTest.body;
import static com.example.createorder.CreateOrderHandlerTest.header;
import static com.example.createorder.RequestBodies.oneItem;
import static com.example.createorder.RequestBodies.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9's HTTP kinds, through the deployed handler class with real PostgreSQL: malformed numbers, header values
 * that cannot be carried, bodies flagged base64 that are not, paths the framework cannot parse, and events that
 * are not HTTP requests. Each gets a 4xx problem+json naming the field or header, and writes nothing.
 */
class HostileInputTest {

    static CreateOrderFunction handler;
    static ApiGatewayEvents events;

    @BeforeAll
    static void startHandler() {
        handler = new CreateOrderFunction(ApplicationContext.run(TestDatabase.properties()));
        events = new ApiGatewayEvents(handler.getApplicationContext().getBean(JsonMapper.class));
    }

    @AfterAll
    static void stop() {
        handler.getApplicationContext().close();
    }

    /** One hostile request: how to build it, and the status and field the answer must name. */
    record Case(String name, Consumer<APIGatewayV2HTTPEvent> tamper, String body, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static APIGatewayV2HTTPResponse invokeWritingNothing(APIGatewayV2HTTPEvent event, int status, String field) {
        long rowsBefore = TestDatabase.allRows();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext());
        assertProblem(response, status, field);
        assertThat(TestDatabase.allRows()).as("rows written").isEqualTo(rowsBefore);
        return response;
    }

    // --- kind 3: numbers -------------------------------------------------------------------------------------------

    /** Literals that used to reach BigDecimal arithmetic unchecked (500), and their neighbours that already gave 400. */
    static final List<String> HOSTILE_NUMBERS = List.of("1e-2147483649", "1e2147483649", "1E+9999999999",
            "0e2147483649", "1.0e-2147483648", "-1e-2147483648", "1E-2147483648", "100e2147483647", "10e2147483647",
            "1e2147483647", "0e-2147483648", "0e-5000", "1e2147483648", "1e400", "1e-400", "1e999999999",
            "0.1e2147483648", "-1e2147483649", "9".repeat(99), "0." + "0".repeat(96) + "1");

    static Stream<String> hostileNumbers() {
        return HOSTILE_NUMBERS.stream();
    }

    @ParameterizedTest(name = "unitPrice {0}")
    @MethodSource("hostileNumbers")
    void malformedOrExtremeUnitPriceIs400NamingTheField(String literal) {
        String c = quoted(UUID.randomUUID());
        String p = quoted(UUID.randomUUID());
        String body = "{\"customerId\":" + c + ",\"items\":[{\"productId\":" + p + ",\"quantity\":1,\"unitPrice\":1.00},"
                + "{\"productId\":" + p + ",\"quantity\":1,\"unitPrice\":" + literal + "}]}";
        APIGatewayV2HTTPResponse response = invokeWritingNothing(events.postOrders(body), 400, "items[1].unitPrice");
        assertThat(CreateOrderHandlerTest.fields(response)).containsExactly("items[1].unitPrice");
    }

    @ParameterizedTest(name = "quantity {0}")
    @MethodSource("hostileNumbers")
    void malformedOrExtremeQuantityIs400NamingTheField(String literal) {
        String body = oneItem(quoted(UUID.randomUUID()), quoted(UUID.randomUUID()), literal, "1.00");
        invokeWritingNothing(events.postOrders(body), 400, "items[0].quantity");
    }

    @Test
    void numberLongerThan100CharactersIsAMalformedBody() {
        String body = oneItem(quoted(UUID.randomUUID()), quoted(UUID.randomUUID()), "1", "1" + "0".repeat(100));
        invokeWritingNothing(events.postOrders(body), 400, "body");
    }

    @Test
    void inRangePricesInAnyNotationAreAcceptedExactly() {
        for (String literal : List.of("1999e-2", "0.1999E2", "19.990", "1.999e+1", "1999000e-5",
                "1999" + "0".repeat(88) + "e-90")) {
            UUID customer = UUID.randomUUID();
            APIGatewayV2HTTPResponse created = handler.handleRequest(
                    events.postOrders(oneItem(quoted(customer), quoted(UUID.randomUUID()), "3", literal)),
                    new TestLambdaContext());
            assertThat(created.getStatusCode()).as(literal + " " + created.getBody()).isEqualTo(201);
            assertThat(created.getBody()).contains("\"totalAmount\":59.97");
        }
    }

    // --- kind 4: headers -------------------------------------------------------------------------------------------

    /** Values the HTTP layer cannot carry (RFC 9110 section 5.5), for every header: control characters, edges. */
    static final List<String> UNCARRIABLE_VALUES = List.of(" ", "a\u0000b", "a\u007Fb", "\n", "a\r\nb", " a", "a ",
            "\t", "a\u0001", "\u001Fb", "a,b\u0000");

    static Stream<Case> headerCases() {
        var cases = new ArrayList<Case>();
        String valid = RequestBodies.valid(UUID.randomUUID());
        String invalid = "{\"customerId\": 1";
        for (String header : List.of("idempotency-key", "traceparent", "x-correlation-id", "content-type", "accept",
                "content-length", "host", "cookie", "x-anything")) {
            String field = switch (header) {
                case "idempotency-key" -> "Idempotency-Key";
                case "content-type" -> "Content-Type";
                default -> header;
            };
            for (String value : UNCARRIABLE_VALUES) {
                cases.add(new Case(header + " " + escaped(value), e -> e.getHeaders().put(header, value), valid, 400, field));
            }
        }
        // The key's own rule, checked before the body is even looked at (the body here is malformed too).
        for (String key : List.of("", "a b", "caf\u00E9", "\u2028", "\uD800", "k".repeat(201), "k".repeat(5_000),
                "a\tb", "\u00A0")) {
            cases.add(new Case("Idempotency-Key " + escaped(key), e -> e.getHeaders().put("idempotency-key", key),
                    invalid, 400, "Idempotency-Key"));
            cases.add(new Case("x-correlation-id " + escaped(key), e -> e.getHeaders().put("x-correlation-id", key),
                    valid, 400, "x-correlation-id"));
        }
        for (String name : List.of("a b", "caf\u00E9", "", "x:y", "x\u0000", "(x)", "\uD800")) {
            cases.add(new Case("header name " + escaped(name), e -> e.getHeaders().put(name, "v"), valid, 400, "headers"));
        }
        cases.add(new Case("header value null", e -> e.getHeaders().put("x-anything", null), valid, 400, "x-anything"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerCases")
    void headerThatCannotBeCarriedIs400NamingIt(Case c) {
        APIGatewayV2HTTPEvent event = events.postOrders(c.body());
        c.tamper().accept(event);
        invokeWritingNothing(event, c.status(), c.field());
    }

    @Test
    void keyOfExactly200VisibleCharactersIsAccepted() {
        String key = "!~" + UUID.randomUUID() + "k".repeat(200 - 38);
        APIGatewayV2HTTPEvent event = events.postOrders(RequestBodies.valid(UUID.randomUUID()));
        event.getHeaders().put("idempotency-key", key);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = ?", key)).isEqualTo(1);
    }

    @Test
    void unparsableTraceparentIsIgnoredNotPropagated() {
        for (String traceparent : List.of("garbage", "caf\u00E9", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")) {
            APIGatewayV2HTTPEvent event = events.postOrders(RequestBodies.valid(UUID.randomUUID()));
            event.getHeaders().put("traceparent", traceparent);
            APIGatewayV2HTTPResponse created = handler.handleRequest(event, new TestLambdaContext());
            assertThat(created.getStatusCode()).as(traceparent).isEqualTo(201);
            String orderId = (String) body(created).get("orderId");
            assertThat(TestDatabase.count("select count(*) from outbox_message where aggregate_id = ? and headers->>'traceparent' is not null",
                    orderId)).as(traceparent).isZero();
            assertThat(TestDatabase.outboxRowsFor(UUID.fromString(orderId))).isEqualTo(1);
        }
    }

    // --- kind 5: base64 --------------------------------------------------------------------------------------------

    static Stream<String> notBase64() {
        return Stream.of("{not base64!}", "e", "eyJ=a", "ab cd", "eyJh\neyJh", "====", "eyJh\u0000", "\u00E9\u00E9\u00E9\u00E9");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notBase64")
    void bodyFlaggedBase64ThatIsNotIs400(String body) {
        APIGatewayV2HTTPEvent event = events.postOrders(body);
        event.setIsBase64Encoded(true);
        invokeWritingNothing(event, 400, "body");
    }

    // --- kind 6: paths ---------------------------------------------------------------------------------------------

    static Stream<Case> pathCases() {
        var cases = new ArrayList<Case>();
        List<String> badIds = List.of("not a uuid", "100%", "a+b", "%zz", "%", "%2", "%e", "caf\u00E9", "{id}", "a|b",
                "a\\b", "a\"b", "<x>", "a^b", "`", "\u0000", "\u007F", "\uD800", "a;b", "a&b", "a=b", "a:b", "a@b",
                UUID.randomUUID() + "+", UUID.randomUUID() + ";v=1", " " + UUID.randomUUID(), "x".repeat(5_000) + " ");
        for (String id : badIds) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                cases.add(new Case(method + " /orders/" + escaped(id), e -> {
                    e.getRequestContext().getHttp().setMethod(method);
                    setPath(e, "/orders/" + id);
                }, "{}", 400, "id"));
            }
        }
        cases.add(new Case("rawPath only", e -> e.setRawPath("/orders/not a uuid"), "{}", 400, "id"));
        for (String path : List.of("/ord ers", "/%", "//", "//orders", "/orders/a b/c", "/x%zz", "/orders/%/x", "/\u00E9",
                "/orders\u0000")) {
            cases.add(new Case("GET " + escaped(path), e -> setPath(e, path), "{}", 400, "path"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathCases")
    void pathTheFrameworkCannotParseIs400NamingIt(Case c) {
        APIGatewayV2HTTPEvent event = events.getOrder(UUID.randomUUID().toString());
        c.tamper().accept(event);
        invokeWritingNothing(event, c.status(), c.field());
    }

    @Test
    void unknownRoutesStay404AndWrongMethods405() {
        for (String path : List.of("/nope", "/orders/x/y", "/", "/orders/" + UUID.randomUUID() + "/items")) {
            APIGatewayV2HTTPEvent event = events.getOrder(UUID.randomUUID().toString());
            setPath(event, path);
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext());
            assertThat(response.getStatusCode()).as(path).isEqualTo(404);
            assertThat(header(response, "Content-Type")).startsWith(Problem.MEDIA_TYPE);
        }
        for (String method : List.of("DELETE", "PUT", "PATCH")) {
            APIGatewayV2HTTPEvent event = events.getOrder(UUID.randomUUID().toString());
            event.getRequestContext().getHttp().setMethod(method);
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext());
            assertThat(response.getStatusCode()).as(method).isEqualTo(405);
            assertThat(header(response, "Content-Type")).startsWith(Problem.MEDIA_TYPE);
        }
    }

    // --- events that are not HTTP requests at all ------------------------------------------------------------------

    @Test
    void eventWithoutMethodOrRequestContextIs400() {
        List<Consumer<APIGatewayV2HTTPEvent>> breakages = List.of(
                e -> e.getRequestContext().getHttp().setMethod(null),
                e -> e.getRequestContext().setHttp(null),
                e -> e.setRequestContext(null));
        for (Consumer<APIGatewayV2HTTPEvent> breakage : breakages) {
            APIGatewayV2HTTPEvent event = events.postOrders(RequestBodies.valid(UUID.randomUUID()));
            breakage.accept(event);
            invokeWritingNothing(event, 400, "method");
        }
        assertProblem(handler.handleRequest(null, new TestLambdaContext()), 400, "method");
    }

    static void setPath(APIGatewayV2HTTPEvent event, String path) {
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
    }

    static String escaped(String text) {
        var out = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> out.append(c >= 0x20 && c < 0x7F ? Character.toString(c) : String.format("\\u%04X", c)));
        return text.length() > 40 ? out + "...(" + text.length() + ")" : out.toString();
    }
}
