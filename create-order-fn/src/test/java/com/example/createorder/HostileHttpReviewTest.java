package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reviewer's hostile inputs: each must give a 201 with the exact total, or a 4xx problem+json that wrote nothing. */
class HostileHttpReviewTest {

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

    record Case(String name, Consumer<APIGatewayV2HTTPEvent> tamper, String body, String expectedTotal) {
    }

    static String one(String quantity, String price) {
        return RequestBodies.oneItem(RequestBodies.quoted(UUID.randomUUID()), RequestBodies.quoted(UUID.randomUUID()),
                quantity, price);
    }

    static List<Case> cases() {
        var cases = new ArrayList<Case>();
        String valid = one("2", "10.25");
        for (String ct : List.of("application/json; charset=x-nonexistent", "application/json; charset=\"\"",
                "application/json; charset=", "application/json; charset=utf-16", "application/json;", ";", "",
                "application/json, text/plain", "application/json; q=abc", "*/*", "application/*", "/",
                "application/json;charset=utf-8;charset=latin1", "text/plain; charset=x-none", "application/json; charset=%%",
                "application/json; charset=UTF-32", "application/json; a")) {
            cases.add(new Case("content-type " + ct, e -> e.getHeaders().put("content-type", ct), valid, "20.50"));
        }
        for (String accept : List.of("text/plain", ";", "application/json;q=abc", "application/xml", "*/*;q=0", "garbage",
                "a/b;q=1e999", "application/json;q=-1", "", "application/problem+json")) {
            cases.add(new Case("accept " + accept, e -> e.getHeaders().put("accept", accept), valid, "20.50"));
        }
        for (String cl : List.of("abc", "-1", "99999999999999999999", "0", "1", "")) {
            cases.add(new Case("content-length " + cl, e -> e.getHeaders().put("content-length", cl), valid, "20.50"));
        }
        for (String h : List.of("host", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "forwarded",
                "x-forwarded-port", "origin", "x-http-method-override", "accept-charset", "accept-language", "cookie",
                "content-encoding", "transfer-encoding", "expect", "range", "if-none-match", "authorization")) {
            for (String v : List.of("a b", "[::1", "%", "for=\"", "abc:99999", "gzip", "chunked", "100-continue",
                    "bytes=abc", "\u00E9", "\uD800", "x".repeat(20_000))) {
                cases.add(new Case(h + " " + HostileInputTest.escaped(v), e -> e.getHeaders().put(h, v), valid, "20.50"));
            }
        }
        for (String m : List.of("get", "", " ", "POST ", "FOO", "CONNECT", "TRACE", "OPTIONS", "HEAD", "post", "PO ST")) {
            cases.add(new Case("method " + m, e -> e.getRequestContext().getHttp().setMethod(m), valid, "20.50"));
        }
        List<List<String>> cookieLists = new ArrayList<>(List.of(List.of("a"), List.of("=b"), List.of("a=b\u0000"),
                List.of("a=\"b"), List.of(""), List.of("a=b; c"), List.of("\uD800=x")));
        var withNull = new ArrayList<String>();
        withNull.add(null);
        cookieLists.add(withNull);
        for (List<String> cookies : cookieLists) {
            cases.add(new Case("cookies " + cookies, e -> e.setCookies(cookies), valid, "20.50"));
        }
        List<Map<String, String>> queries = new ArrayList<>();
        queries.add(Map.of("a", "%"));
        queries.add(Map.of("a b", "c d"));
        queries.add(Map.of("", ""));
        queries.add(Map.of("\uD800", "x"));
        queries.add(Map.of("a", "{x}"));
        queries.add(Map.of("{a}", "x"));
        queries.add(Map.of("a", "%zz"));
        var nullValue = new HashMap<String, String>();
        nullValue.put("a", null);
        queries.add(nullValue);
        for (Map<String, String> q : queries) {
            cases.add(new Case("query " + q, e -> {
                e.setQueryStringParameters(q);
                e.setRawQueryString("x=%zz");
            }, valid, "20.50"));
        }
        cases.add(new Case("raw query only", e -> e.setRawQueryString("%%% {}"), valid, "20.50"));
        cases.add(new Case("multi-value headers joined", e -> e.getHeaders().put("content-type", "application/json,application/json"), valid, "20.50"));
        // Numbers and notations (201 with the exact total, or a 400).
        for (String[] qp : new String[][] {{"3", "1e2"}, {"3", "0.1e1"}, {"3", "19.990"}, {"1", "-0"}, {"-0", "1"},
                {"3", "1E+2"}, {"2", "0.01"}, {"10000", "1000000"}, {"3", "100.00e0"}, {"1", "1.0E-2"}}) {
            String total = null;
            try {
                BigDecimal t = new BigDecimal(qp[1]).multiply(new BigDecimal(qp[0]));
                total = t.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();
            } catch (Exception ignored) {
                // not exact at 2 places: must be a 400
            }
            cases.add(new Case("quantity " + qp[0] + " price " + qp[1], e -> { }, one(qp[0], qp[1]), total));
        }
        cases.add(new Case("BOM", e -> { }, "\uFEFF" + valid, "20.50"));
        cases.add(new Case("array item null", e -> { },
                valid.replace("}]}", "},null]}"), null));
        cases.add(new Case("items object", e -> { }, "{\"customerId\":\"" + UUID.randomUUID() + "\",\"items\":{}}", null));
        cases.add(new Case("customerId array", e -> { }, "{\"customerId\":[],\"items\":[]}", null));
        cases.add(new Case("deep nesting in item", e -> { },
                valid.replace("\"quantity\"", "\"x\":" + "[".repeat(40) + "]".repeat(40) + ",\"quantity\""), null));
        cases.add(new Case("deep nesting of 2000 in item", e -> { },
                valid.replace("\"quantity\"", "\"x\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2000) + ",\"quantity\""), null));
        cases.add(new Case("long string field", e -> { },
                valid.replace("\"quantity\"", "\"x\":\"" + "a".repeat(60_000) + "\",\"quantity\""), "20.50"));
        cases.add(new Case("long field name", e -> { },
                valid.replace("\"quantity\"", "\"" + "a".repeat(60_000) + "\":1,\"quantity\""), null));
        cases.add(new Case("unpaired surrogate escape in uuid", e -> { },
                "{\"customerId\":\"\\ud800\",\"items\":[]}", null));
        cases.add(new Case("huge body 7MB", e -> { }, "{\"x\":\"" + "a".repeat(7_000_000) + "\"}", null));
        cases.add(new Case("base64 of utf-32", e -> {
            e.setBody(Base64.getEncoder().encodeToString(new byte[] {0, 0, 0, '{', 0, 0, 0, '}'}));
            e.setIsBase64Encoded(true);
        }, valid, null));
        cases.add(new Case("base64 of invalid utf-8", e -> {
            e.setBody(Base64.getEncoder().encodeToString(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
            e.setIsBase64Encoded(true);
        }, valid, null));
        cases.add(new Case("base64 of utf-16 body", e -> {
            e.setBody(Base64.getEncoder().encodeToString(valid.getBytes(StandardCharsets.UTF_16)));
            e.setIsBase64Encoded(true);
        }, valid, "20.50"));
        cases.add(new Case("base64 empty", e -> {
            e.setBody("");
            e.setIsBase64Encoded(true);
        }, valid, null));
        cases.add(new Case("body null", e -> e.setBody(null), valid, null));
        cases.add(new Case("headers null", e -> e.setHeaders(null), valid, null));
        cases.add(new Case("rawPath null, path /orders", e -> e.setRawPath(null), valid, "20.50"));
        cases.add(new Case("path /orders/", e -> HostileInputTest.setPath(e, "/orders/"), valid, "20.50"));
        cases.add(new Case("path /orders/%C3%28", e -> HostileInputTest.setPath(e, "/orders/%C3%28"), valid, null));
        cases.add(new Case("path /orders/%FF", e -> HostileInputTest.setPath(e, "/orders/%FF"), valid, null));
        cases.add(new Case("GET /orders/%FF", e -> {
            e.getRequestContext().getHttp().setMethod("GET");
            HostileInputTest.setPath(e, "/orders/%FF");
        }, valid, null));
        cases.add(new Case("GET /orders/%00", e -> {
            e.getRequestContext().getHttp().setMethod("GET");
            HostileInputTest.setPath(e, "/orders/%00");
        }, valid, null));
        cases.add(new Case("GET /orders/%2F", e -> {
            e.getRequestContext().getHttp().setMethod("GET");
            HostileInputTest.setPath(e, "/orders/%2F");
        }, valid, null));
        cases.add(new Case("path /orders/.", e -> HostileInputTest.setPath(e, "/orders/."), valid, null));
        cases.add(new Case("path /orders/..", e -> HostileInputTest.setPath(e, "/orders/.."), valid, null));
        cases.add(new Case("path /./orders", e -> HostileInputTest.setPath(e, "/./orders"), valid, null));
        cases.add(new Case("path /orders/../orders", e -> HostileInputTest.setPath(e, "/orders/../orders"), valid, null));
        cases.add(new Case("path /orders?x", e -> HostileInputTest.setPath(e, "/orders?x"), valid, null));
        cases.add(new Case("path /orders#x", e -> HostileInputTest.setPath(e, "/orders#x"), valid, null));
        cases.add(new Case("path relative", e -> HostileInputTest.setPath(e, "orders"), valid, null));
        cases.add(new Case("path empty", e -> HostileInputTest.setPath(e, ""), valid, null));
        cases.add(new Case("path /orders;x=1", e -> HostileInputTest.setPath(e, "/orders;x=1"), valid, null));
        cases.add(new Case("path /orders:x", e -> HostileInputTest.setPath(e, "/orders:x"), valid, null));
        cases.add(new Case("path long", e -> HostileInputTest.setPath(e, "/" + "a".repeat(100_000)), valid, null));
        cases.add(new Case("path /{x}", e -> { e.setRawPath("/orders"); e.getRequestContext().getHttp().setPath("/orders/{x}"); }, valid, null));
        return cases;
    }

    @Test
    void everyInputGetsACreatedWithExactTotalOrAProblemThatWroteNothing() {
        var failures = new ArrayList<String>();
        for (Case c : cases()) {
            APIGatewayV2HTTPEvent event = events.postOrders(c.body());
            String outcome;
            try {
                c.tamper().accept(event);
                long before = TestDatabase.allRows();
                APIGatewayV2HTTPResponse r = handler.handleRequest(event, new TestLambdaContext());
                long after = TestDatabase.allRows();
                int status = r.getStatusCode();
                String ct = r.getHeaders() == null ? null : CreateOrderHandlerTest.header(r, "Content-Type");
                outcome = status + " " + ct + " " + abbreviate(r.getBody());
                if (status >= 500) {
                    failures.add(c.name() + " -> 5xx: " + outcome);
                } else if (status >= 400) {
                    if (ct == null || !ct.startsWith(Problem.MEDIA_TYPE)) {
                        failures.add(c.name() + " -> 4xx without problem+json: " + outcome);
                    }
                    if (after != before) {
                        failures.add(c.name() + " -> 4xx wrote " + (after - before) + " rows");
                    }
                } else if (status == 201) {
                    var m = java.util.regex.Pattern.compile("\"totalAmount\":([^,}]+)").matcher(r.getBody());
                    String total = m.find() ? m.group(1) : null;
                    if (c.expectedTotal() == null || !c.expectedTotal().equals(total)) {
                        failures.add(c.name() + " -> 201 with total " + total + ", expected " + c.expectedTotal());
                    }
                }
            } catch (Throwable t) {
                outcome = "threw " + t;
                failures.add(c.name() + " -> " + outcome);
            }
            System.out.println("REVIEW " + c.name().substring(0, Math.min(80, c.name().length())) + " => " + outcome);
        }
        assertThat(failures).isEmpty();
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
