package com.example.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda Invoke API ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) for the local runtime's
 * functions, so that a function's AWS SDK client, pointed here by the SDK's standard endpoint override
 * ({@code AWS_ENDPOINT_URL_LAMBDA}), travels the same code path as on AWS (ADR 0014):
 * <ul>
 *   <li>{@code FunctionName} may be a name, {@code name:qualifier} or an ARN; {@code ?Qualifier=} is also read.
 *       Only the {@code live} alias (or no qualifier) exists, as in Terraform; anything else is 404
 *       {@code ResourceNotFoundException};</li>
 *   <li>{@code X-Amz-Invocation-Type: Event} answers 202 at once and runs the function on a background thread
 *       (Lambda queues the event); {@code RequestResponse} (the default) answers 200 with the result, plus
 *       {@code X-Amz-Function-Error: Unhandled} when the handler threw; {@code DryRun} answers 204.</li>
 * </ul>
 * Differences from AWS (listed in local-runtime/README.md): requests are not authenticated (the SigV4 signature is
 * not checked), and a failed asynchronous invocation is logged, not retried.
 */
public final class LambdaInvokeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LambdaInvokeServer.class);
    private static final Pattern PATH = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final Pattern ARN = Pattern.compile("^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$");
    private static final String ALIAS = "live";

    private final Map<String, LambdaFunction> functions;
    private final HttpServer server;
    private final ExecutorService requests;
    private final ExecutorService asyncInvocations;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicLong eventInvocations = new java.util.concurrent.atomic.AtomicLong();

    private LambdaInvokeServer(Map<String, LambdaFunction> functions, HttpServer server) {
        this.functions = functions; // not copied: the local runtime registers functions after the server is up
        this.server = server;
        this.requests = Executors.newFixedThreadPool(8, Thread.ofPlatform().name("lambda-api-", 0).daemon().factory());
        this.asyncInvocations = Executors.newCachedThreadPool(Thread.ofPlatform().name("lambda-async-", 0).daemon().factory());
    }

    /** Serves {@code functions} (keyed by function name) on 127.0.0.1:{@code port} (0 picks a free port). */
    public static LambdaInvokeServer start(Map<String, LambdaFunction> functions, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        var api = new LambdaInvokeServer(functions, server);
        server.createContext("/", api::handle);
        server.setExecutor(api.requests);
        server.start();
        return api;
    }

    /** The endpoint to give the SDK, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Asynchronous ({@code Event}) invocations accepted so far, e.g. wake-ups. */
    public long eventInvocations() {
        return eventInvocations.get();
    }

    /** A function's ARN as Terraform would pass it (account 000000000000, alias {@code live}). */
    public static String aliasArn(String region, String functionName) {
        return "arn:aws:lambda:" + region + ":000000000000:function:" + functionName + ":" + ALIAS;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                error(exchange, 404, "UnknownOperationException", "Only Invoke is served here");
                return;
            }
            String name = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
            String qualifier = query(exchange.getRequestURI().getRawQuery(), "Qualifier");
            Matcher arn = ARN.matcher(name);
            if (arn.matches()) {
                name = arn.group(1);
                qualifier = arn.group(2) != null ? arn.group(2) : qualifier;
            } else if (name.contains(":")) {
                qualifier = name.substring(name.indexOf(':') + 1);
                name = name.substring(0, name.indexOf(':'));
            }
            LambdaFunction function = functions.get(name);
            if (function == null || (qualifier != null && !ALIAS.equals(qualifier) && !"$LATEST".equals(qualifier))) {
                error(exchange, 404, "ResourceNotFoundException", "Function not found: " + path.group(1));
                return;
            }
            byte[] payload = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            switch (type == null ? "RequestResponse" : type) {
                case "Event" -> {
                    eventInvocations.incrementAndGet();
                    asyncInvocations.execute(() -> invokeAsync(function, payload));
                    exchange.sendResponseHeaders(202, -1);
                }
                case "DryRun" -> exchange.sendResponseHeaders(204, -1);
                case "RequestResponse" -> {
                    byte[] body;
                    try {
                        body = function.invoke(payload);
                    } catch (LambdaFunction.FunctionError e) {
                        exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                        body = e.errorJson().getBytes(StandardCharsets.UTF_8);
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                default -> error(exchange, 400, "InvalidParameterValueException", "X-Amz-Invocation-Type " + type);
            }
        }
    }

    private void invokeAsync(LambdaFunction function, byte[] payload) {
        try {
            function.invoke(payload);
        } catch (LambdaFunction.FunctionError | RuntimeException e) {
            if (!closing) {
                log.warn("{}: asynchronous invocation failed (not retried, as deployed: Terraform sets 0 retries on the relay alias): {}", function.name(), e.toString());
            }
        }
    }

    private static String query(String rawQuery, String key) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = JsonNodeFactory.instance.objectNode().put("Type", "User").put("message", message).toString()
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Amzn-ErrorType", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        requests.shutdownNow();
        asyncInvocations.shutdownNow();
    }
}
