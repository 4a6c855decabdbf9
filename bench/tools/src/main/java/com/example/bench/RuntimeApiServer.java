package com.example.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The part of the Lambda Runtime API (version 2018-06-01) a runtime client needs for one cold start and one
 * invocation: {@code GET /runtime/invocation/next} hands out the one event (later calls are held open, as Lambda
 * freezes an idle environment), {@code POST /runtime/invocation/{id}/response} and {@code .../error} end the
 * invocation, {@code POST /runtime/init/error} reports a failed init. Each call's arrival is time-stamped with
 * {@link System#nanoTime()}; if a {@link ProcessProbe} is set, the runtime's process is also sampled (CPU time,
 * classes loaded) when the first {@code GET next} and the response or error arrive, before anything is answered.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    private final HttpServer server;
    private final byte[] event;
    private final String requestId = UUID.randomUUID().toString();
    /** nanoTime of the first GET next (end of init). */
    final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    /** The function's process, sampled at the end of init and at the first response; null: not sampled. */
    volatile ProcessProbe probe;
    /** The process as it was at the first GET next (set before {@link #firstNext} completes). */
    volatile ProcessProbe.Sample initSample = ProcessProbe.Sample.NONE;
    /** nanoTime the event was handed out. */
    volatile long eventSent;
    /** nanoTime of the response or error POST, with its body; completes exceptionally on init error. */
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    record Outcome(long at, boolean error, String body, ProcessProbe.Sample sample) {
    }

    RuntimeApiServer(byte[] event) throws IOException {
        this.event = event;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(PREFIX, this::handle);
        server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory()));
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestMethod().equals("GET") && path.equals("invocation/next")) {
            if (!firstNext.isDone()) {
                initSample = sample();
            }
            if (!firstNext.complete(now)) {
                // The environment would now be frozen: hold the call until the benchmark ends the process.
                try {
                    outcome.join();
                    Thread.sleep(60_000);
                } catch (Exception e) {
                    // ended
                }
                exchange.close();
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.add("Lambda-Runtime-Aws-Request-Id", requestId);
            headers.add("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 30_000));
            headers.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:000000000000:function:bench");
            headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
            headers.add("Content-Type", "application/json");
            eventSent = System.nanoTime();
            exchange.sendResponseHeaders(200, event.length);
            exchange.getResponseBody().write(event);
            exchange.close();
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("invocation/" + requestId + "/response")) {
            ProcessProbe.Sample sample = sample();
            reply(exchange);
            outcome.complete(new Outcome(now, false, new String(body, StandardCharsets.UTF_8), sample));
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("invocation/" + requestId + "/error")) {
            ProcessProbe.Sample sample = sample();
            reply(exchange);
            outcome.complete(new Outcome(now, true, new String(body, StandardCharsets.UTF_8), sample));
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("init/error")) {
            reply(exchange);
            var failure = new IllegalStateException("init error: " + new String(body, StandardCharsets.UTF_8));
            firstNext.completeExceptionally(failure);
            outcome.completeExceptionally(failure);
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        }
    }

    private ProcessProbe.Sample sample() {
        ProcessProbe p = probe;
        return p == null ? ProcessProbe.Sample.NONE : p.sample();
    }

    private static void reply(HttpExchange exchange) throws IOException {
        byte[] ok = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(202, ok.length);
        exchange.getResponseBody().write(ok);
        exchange.close();
    }

    @Override
    public void close() {
        outcome.complete(new Outcome(System.nanoTime(), true, "closed", ProcessProbe.Sample.NONE));
        server.stop(0);
    }
}
