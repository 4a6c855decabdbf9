package com.example.createorder;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The function's own {@code create-order.*} settings, from {@code application.yml} (the environment variable of each
 * is named there and set by Terraform). Bound and checked when the context starts ({@link Context}), so a bad value
 * fails the Lambda init phase with a message naming the setting, instead of the first request.
 *
 * @param eventSource  CloudEvents {@code source} ({@code ce_source}) of the events this function appends: a non-empty
 *                     URI-reference (CloudEvents 1.0, "source"), e.g. {@code /order-service/create-order-fn}
 * @param maxBodyBytes requests with a larger body get 413; 1 to {@value #API_GATEWAY_MAX_PAYLOAD_BYTES} (API
 *                     Gateway's own payload limit: a larger bound could never apply)
 */
@Context
@Requires(property = "create-order.event-source") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("create-order")
public record CreateOrderSettings(String eventSource, int maxBodyBytes) {

    /** API Gateway's request payload quota, 10 MB (AWS docs, "Amazon API Gateway quotas"). */
    public static final int API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    public CreateOrderSettings {
        if (eventSource == null || eventSource.isBlank() || !isUriReference(eventSource)) {
            throw new IllegalArgumentException("create-order.event-source (CREATE_ORDER_EVENT_SOURCE) must be a"
                    + " non-empty URI-reference such as /order-service/create-order-fn, got: '" + eventSource + "'");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > API_GATEWAY_MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("create-order.max-body-bytes (CREATE_ORDER_MAX_BODY_BYTES) must be 1 to "
                    + API_GATEWAY_MAX_PAYLOAD_BYTES + " (API Gateway's payload limit), got: " + maxBodyBytes);
        }
    }

    private static boolean isUriReference(String text) {
        try {
            new URI(text);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
