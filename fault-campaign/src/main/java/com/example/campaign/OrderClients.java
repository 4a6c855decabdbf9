package com.example.campaign;

import com.example.local.LambdaFunction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent create-order clients calling the real create-order handler with API Gateway payload 2.0 events, as
 * local-runtime's HTTP bridge builds them. Every logical request has a customer id of its own, so the database shows
 * how many orders it produced. Keyed requests are retried on 503 with the same key (what the API tells clients to
 * do) and some are replayed, sequentially or by another client at the same time.
 */
final class OrderClients {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One logical request: its key (or null), its body, and every answer it got. */
    record Request(String key, UUID customerId, String body, List<Answer> answers) {
    }

    /** An answer: HTTP status and body (for 201 the order as returned). */
    record Answer(int status, String body, boolean replayed) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Orders acknowledged with 201, by id: the cancellation publisher draws from here. */
    final List<UUID> acknowledged = new CopyOnWriteArrayList<>();
    final Map<Integer, AtomicInteger> statusCounts = new ConcurrentHashMap<>();

    private final LambdaFunction createOrder;
    private final Schedule schedule;
    private final History history;
    private final List<Request> replayable = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    OrderClients(LambdaFunction createOrder, Schedule schedule, History history) {
        this.createOrder = createOrder;
        this.schedule = schedule;
        this.history = history;
    }

    List<Thread> start() {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < schedule.clients(); i++) {
            var random = new Random(schedule.seed() * 31 + i);
            int client = i;
            threads.add(Thread.ofPlatform().name("client-" + i).start(() -> run(client, random)));
        }
        return threads;
    }

    void stop() {
        stopping = true;
    }

    private void run(int client, Random random) {
        while (!stopping) {
            Request request;
            if (!replayable.isEmpty() && random.nextDouble() < schedule.replayShare() / 2) {
                // Another client's keyed request, again: possibly while its first attempt is still running.
                request = replayable.get(random.nextInt(replayable.size()));
            } else {
                request = newRequest(random);
                requests.add(request);
            }
            send(client, request, random);
            if (request.key() != null && random.nextDouble() < schedule.replayShare()) {
                replayable.add(request);
            }
            sleep(random.nextInt(15));
        }
    }

    private Request newRequest(Random random) {
        UUID customer = new UUID(random.nextLong(), random.nextLong());
        ObjectNode body = JSON.createObjectNode();
        body.put("customerId", customer.toString());
        var items = body.putArray("items");
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            var item = items.addObject();
            item.put("productId", new UUID(random.nextLong(), random.nextLong()).toString());
            item.put("quantity", 1 + random.nextInt(5));
            item.put("unitPrice", BigDecimal.valueOf(1 + random.nextInt(100_000), 2));
        }
        String key = random.nextDouble() < schedule.keyedShare() ? "campaign-" + customer : null;
        return new Request(key, customer, body.toString(), new CopyOnWriteArrayList<>());
    }

    /** Sends until a definite answer: a keyed request is retried on 503 (same key, same body), an unkeyed one is not. */
    private void send(int client, Request request, Random random) {
        for (int attempt = 0; ; attempt++) {
            Answer answer = invoke(request);
            request.answers().add(answer);
            statusCounts.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
            String orderId = answer.status() == 201 ? orderId(answer.body()) : "-";
            history.add("client-%d POST customer %s key %s -> %d order %s%s", client, request.customerId(),
                    request.key(), answer.status(), orderId, answer.replayed() ? " (replayed)" : "");
            if (answer.status() == 201) {
                acknowledged.add(UUID.fromString(orderId));
                return;
            }
            if (answer.status() != 503 || request.key() == null || stopping || attempt > 50) {
                return;
            }
            sleep(100 + random.nextInt(200));
        }
    }

    private Answer invoke(Request request) {
        byte[] event = event(request);
        try {
            JsonNode response = JSON.readTree(createOrder.invoke(event));
            var headers = response.path("headers");
            boolean replayed = "true".equalsIgnoreCase(headers.path("Idempotent-Replayed").asText(
                    headers.path("idempotent-replayed").asText("")));
            return new Answer(response.path("statusCode").asInt(), response.path("body").asText(""), replayed);
        } catch (LambdaFunction.FunctionError e) {
            // The handler threw: API Gateway answers 500 Internal Server Error.
            return new Answer(500, e.errorJson(), false);
        } catch (Exception e) {
            return new Answer(-1, e.toString(), false);
        }
    }

    static String orderId(String body) {
        try {
            return JSON.readTree(body).path("orderId").asText();
        } catch (Exception e) {
            return "?";
        }
    }

    /** POST /orders as API Gateway HTTP API (payload format 2.0) sends it to the function. */
    private static byte[] event(Request request) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", "/orders");
        event.put("rawQueryString", "");
        var headers = event.putObject("headers");
        headers.put("content-type", "application/json");
        headers.put("host", "campaign.local");
        if (request.key() != null) {
            headers.put("idempotency-key", request.key());
        }
        var context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "campaign");
        context.put("domainName", "campaign.local");
        context.put("domainPrefix", "campaign");
        var http = context.putObject("http");
        http.put("method", "POST");
        http.put("path", "/orders");
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", "fault-campaign");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", Instant.now().toEpochMilli());
        event.put("body", request.body());
        event.put("isBase64Encoded", false);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
