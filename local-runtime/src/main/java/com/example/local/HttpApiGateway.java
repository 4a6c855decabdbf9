package com.example.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for an API Gateway HTTP API with a {@code $default} stage and a {@code $default} route, integration
 * {@code AWS_PROXY}, payload format 2.0: each HTTP request becomes the event JSON API Gateway sends
 * (lower-cased headers, repeated headers joined by commas, cookies split out, body base64-encoded unless textual),
 * the function's response JSON is mapped back (headers, cookies as {@code Set-Cookie}, base64 bodies decoded).
 * A function error answers 500 {@code {"message":"Internal Server Error"}}, as API Gateway does.
 *
 * <p>Why not Micronaut's {@code micronaut-function-aws-api-proxy-test} server: it hands the function a Java object
 * built in memory, so the JSON deserialisation the function really goes through in Lambda is skipped; it splits
 * response header values on every comma; and it is a package-private test fixture wired into the function's own
 * application context. See ADR 0030.
 */
public final class HttpApiGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApiGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    private final LambdaFunction function;
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpApiGateway(LambdaFunction function, HttpServer server, ExecutorService executor) {
        this.function = function;
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code port} (0 picks a free one) on all interfaces. */
    public static HttpApiGateway start(LambdaFunction function, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 256);
        ExecutorService executor = Executors.newFixedThreadPool(32, Thread.ofPlatform().name("http-api-", 0).daemon().factory());
        var gateway = new HttpApiGateway(function, server, executor);
        server.createContext("/", gateway::handle);
        server.setExecutor(executor);
        server.start();
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (body.length > MAX_PAYLOAD_BYTES) {
                send(exchange, 413, Map.of("content-type", "application/json"), List.of(),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String requestId = UUID.randomUUID().toString();
            byte[] event = toEvent(exchange, body, requestId);
            byte[] result;
            try {
                result = function.invoke(event);
            } catch (LambdaFunction.FunctionError e) {
                log.warn("{} {} -> function error: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.errorJson());
                send(exchange, 500, Map.of("content-type", "application/json", "apigw-requestid", requestId), List.of(),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            fromResult(exchange, result, requestId);
        } catch (RuntimeException e) {
            log.error("Gateway failure on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            send(exchange, 500, Map.of("content-type", "application/json"), List.of(),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The payload format 2.0 event for one request. */
    static byte[] toEvent(HttpExchange exchange, byte[] body, String requestId) throws IOException {
        Instant now = Instant.now();
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        var headers = new LinkedHashMap<String, String>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.putIfAbsent("x-forwarded-for", sourceIp);
        headers.putIfAbsent("x-forwarded-port", String.valueOf(exchange.getLocalAddress().getPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24));

        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        if (!cookies.isEmpty()) {
            var array = event.putArray("cookies");
            cookies.forEach(array::add);
        }
        var headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            var params = new LinkedHashMap<String, String>();
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.merge(key, value, (a, b) -> a + "," + b);
            }
            var paramNode = event.putObject("queryStringParameters");
            params.forEach(paramNode::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainName", headers.getOrDefault("host", "localhost"));
        context.put("domainPrefix", headers.getOrDefault("host", "localhost").split("[.:]")[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", rawPath);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        context.put("requestId", requestId);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (body.length > 0) {
            boolean text = isText(headers.get("content-type"));
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return JSON.writeValueAsBytes(event);
    }

    private static void fromResult(HttpExchange exchange, byte[] result, String requestId) throws IOException {
        JsonNode response = JSON.readTree(result);
        var headers = new LinkedHashMap<String, String>();
        response.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        response.path("multiValueHeaders").fields().forEachRemaining(e -> {
            var values = new ArrayList<String>();
            e.getValue().forEach(v -> values.add(v.asText()));
            headers.merge(e.getKey(), String.join(",", values), (a, b) -> a);
        });
        headers.put("apigw-requestid", requestId);
        List<String> cookies = new ArrayList<>();
        response.path("cookies").forEach(c -> cookies.add(c.asText()));
        int status = response.path("statusCode").asInt(200);
        byte[] body = new byte[0];
        if (response.hasNonNull("body")) {
            String text = response.get("body").asText();
            body = response.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        }
        send(exchange, status, headers, cookies, body);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, List<String> cookies,
            byte[] body) throws IOException {
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")) {
                exchange.getResponseHeaders().add(name, value);
            }
        });
        cookies.forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            exchange.getResponseBody().write(body);
        }
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.contains("x-www-form-urlencoded");
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
