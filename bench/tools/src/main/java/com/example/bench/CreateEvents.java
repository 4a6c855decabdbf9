package com.example.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code POST /orders} as API Gateway's payload format 2.0 event (the fields HTTP APIs send; see local-runtime's
 * HttpApiGateway), one fresh one-item order per call. Plain text formatting, so building it costs the measured
 * handler nothing and leaves no JSON library frames in the profile.
 */
final class CreateEvents {

    private CreateEvents() {
    }

    static String body() {
        return "{\"customerId\":\"" + UUID.randomUUID() + "\",\"items\":[{\"productId\":\"" + UUID.randomUUID()
                + "\",\"quantity\":2,\"unitPrice\":19.99}]}";
    }

    static byte[] postOrder() {
        String raw = body();
        String body = raw.replace("\"", "\\\"");
        Instant now = Instant.now();
        String requestId = UUID.randomUUID().toString();
        return ("{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/orders\",\"rawQueryString\":\"\","
                + "\"headers\":{\"content-type\":\"application/json\",\"host\":\"localhost\",\"user-agent\":\"bench-create\","
                + "\"content-length\":\"" + raw.length() + "\",\"x-forwarded-for\":\"127.0.0.1\",\"x-forwarded-port\":\"443\","
                + "\"x-forwarded-proto\":\"https\"},"
                + "\"requestContext\":{\"accountId\":\"000000000000\",\"apiId\":\"bench\",\"domainName\":\"localhost\","
                + "\"domainPrefix\":\"localhost\",\"http\":{\"method\":\"POST\",\"path\":\"/orders\",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"127.0.0.1\",\"userAgent\":\"bench-create\"},\"requestId\":\"" + requestId + "\","
                + "\"routeKey\":\"$default\",\"stage\":\"$default\",\"time\":\"30/Nov/2026:00:00:00 +0000\","
                + "\"timeEpoch\":" + now.toEpochMilli() + "},"
                + "\"body\":\"" + body + "\",\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);
    }
}
