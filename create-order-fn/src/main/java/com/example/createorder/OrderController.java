package com.example.createorder;

import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.app.GetOrder;
import com.example.order.app.StorageException;
import com.example.order.app.TraceContext;
import com.example.order.domain.OrderRules;
import com.example.order.domain.UuidText;
import com.example.order.domain.Violation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin HTTP adapter: parse -> use case -> map. The body is taken raw so that size (413), content type (415) and
 * JSON shape are checked here, identically on the Lambda path (no Netty in front) and in any server.
 */
@Controller("/orders")
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final String CORRELATION_ID = "x-correlation-id";
    static final String IDEMPOTENCY_KEY_RULE = "must be 1 to " + CreateOrder.MAX_IDEMPOTENCY_KEY_LENGTH
            + " visible ASCII characters (0x21 to 0x7E)";
    /** Same alphabet and length as the Idempotency-Key: it is copied into the event's Kafka headers. */
    static final String CORRELATION_ID_RULE = IDEMPOTENCY_KEY_RULE;
    /** W3C Trace Context, version 00: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}, lower case. */
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Logger LOG = LoggerFactory.getLogger(OrderController.class);

    private final CreateOrder createOrder;
    private final GetOrder getOrder;
    private final int maxBodyBytes;

    OrderController(CreateOrder createOrder, GetOrder getOrder, CreateOrderSettings settings) {
        this.createOrder = createOrder;
        this.getOrder = getOrder;
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    @Post
    @Consumes(MediaType.ALL) // checked below, so a wrong type gets a problem+json 415 rather than a router error
    @Produces(MediaType.APPLICATION_JSON)
    HttpResponse<?> create(HttpRequest<?> request, @Body @Nullable byte[] body,
            @Header(IDEMPOTENCY_KEY) @Nullable String idempotencyKey,
            @Header("traceparent") @Nullable String traceparent,
            @Header(CORRELATION_ID) @Nullable String correlationId) {
        // Headers first: a bad key must never be mistaken for "no key" by a later step.
        var headerViolations = new ArrayList<Violation>();
        if (idempotencyKey != null && !CreateOrder.isValidKey(idempotencyKey)) {
            headerViolations.add(new Violation(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE));
        }
        if (correlationId != null && !CreateOrder.isValidKey(correlationId)) {
            headerViolations.add(new Violation(CORRELATION_ID, CORRELATION_ID_RULE));
        }
        if (!headerViolations.isEmpty()) {
            return Problem.of("invalid-header", "Invalid header", HttpStatus.BAD_REQUEST,
                    headerViolations.size() + " header(s) are invalid; see errors.", headerViolations).toResponse();
        }
        if (body != null && body.length > maxBodyBytes) {
            return Problem.of("body-too-large", "Request body too large", HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The body has " + body.length + " bytes; at most " + maxBodyBytes + " are accepted.",
                    List.of(new Violation("body", "must be at most " + maxBodyBytes + " bytes"))).toResponse();
        }
        if (!isJson(request.getHeaders().get(HttpHeaders.CONTENT_TYPE))) {
            return Problem.of("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Send the order as application/json.",
                    List.of(new Violation("Content-Type", "must be application/json"))).toResponse();
        }
        OrderRequestJson.Parsed parsed = OrderRequestJson.parse(body);
        if (parsed.malformed()) {
            return Problem.of("malformed-request", "Malformed request body", HttpStatus.BAD_REQUEST,
                    "The body must be a JSON object: {\"customerId\": uuid, \"items\": [{\"productId\": uuid, "
                            + "\"quantity\": int, \"unitPrice\": decimal}]}.", parsed.violations()).toResponse();
        }
        if (!parsed.violations().isEmpty()) {
            return invalid(withRuleViolations(parsed));
        }
        var command = new CreateOrderCommand(parsed.draft(), idempotencyKey,
                new TraceContext(validTraceparent(traceparent), correlationId));
        return switch (createOrder.create(command)) {
            case CreateOrderResult.Created created -> created(created.order().id(), OrderResponse.of(created.order()), false);
            case CreateOrderResult.Replayed replayed -> created(replayed.order().id(), OrderResponse.of(replayed.order()), true);
            case CreateOrderResult.Rejected rejected -> invalid(rejected.violations());
            case CreateOrderResult.IdempotencyKeyReused reused -> Problem.of("idempotency-key-reused",
                    "Idempotency-Key already used for a different request", HttpStatus.UNPROCESSABLE_ENTITY,
                    "Idempotency-Key '" + reused.idempotencyKey() + "' was used by a request with a different body,"
                            + " which created order " + reused.originalOrderId() + ". Use a new key for a new order.",
                    List.of(new Violation(IDEMPOTENCY_KEY, "was already used with a different request body")))
                    .toResponse();
        };
    }

    @Get("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    HttpResponse<?> get(@PathVariable String id) {
        if (!UuidText.isCanonical(id)) {
            return Problem.of("invalid-order-id", "Invalid order id", HttpStatus.BAD_REQUEST,
                    "Order ids are UUIDs.", List.of(new Violation("id", "must be a UUID"))).toResponse();
        }
        return getOrder.get(UUID.fromString(id))
                .<HttpResponse<?>>map(order -> HttpResponse.ok(OrderResponse.of(order)))
                .orElseGet(() -> Problem.of("order-not-found", "Order not found", HttpStatus.NOT_FOUND,
                        "There is no order " + id + ".").toResponse());
    }

    @Error(exception = StorageException.class)
    HttpResponse<?> storageFailed(HttpRequest<?> request, StorageException e) {
        LOG.error("Database failure on {} {}", request.getMethod(), request.getPath(), e);
        return Problem.of("storage-unavailable", "Temporarily unavailable", HttpStatus.SERVICE_UNAVAILABLE,
                "The order store failed. Usually nothing was saved, but if the connection broke during the commit the order"
                        + " may exist: retry with the same Idempotency-Key, which returns it if it does.").toResponse();
    }

    private static HttpResponse<?> created(UUID orderId, OrderResponse body, boolean replayed) {
        var response = HttpResponse.created(body, URI.create("/orders/" + orderId));
        if (replayed) {
            response.header(REPLAYED, "true");
        }
        return response;
    }

    private static HttpResponse<?> invalid(List<Violation> violations) {
        return Problem.of("invalid-order", "Invalid order", HttpStatus.BAD_REQUEST,
                violations.size() + " field(s) are invalid; see errors.", violations).toResponse();
    }

    /** Type errors from the parser, plus the domain's rule violations for the fields the parser did not flag. */
    private static List<Violation> withRuleViolations(OrderRequestJson.Parsed parsed) {
        var all = new ArrayList<>(parsed.violations());
        var flagged = new HashSet<String>();
        parsed.violations().forEach(v -> flagged.add(v.field()));
        for (Violation v : OrderRules.check(parsed.draft())) {
            if (!flagged.contains(v.field())) {
                all.add(v);
            }
        }
        return all;
    }

    /**
     * The traceparent to pass on, or null. W3C Trace Context Level 1 (section 3.2) says a traceparent that cannot
     * be parsed, or has an all-zero trace-id or parent-id, is ignored rather than rejected, so it is dropped here
     * instead of reaching the event's Kafka headers. Only version 00 is parsed.
     */
    static @Nullable String validTraceparent(@Nullable String traceparent) {
        if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()
                || traceparent.startsWith("00-00000000000000000000000000000000-")
                || traceparent.regionMatches(35, "-0000000000000000-", 0, 18)) {
            return null;
        }
        return traceparent;
    }

    private static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.of(contentType);
            return "application".equalsIgnoreCase(type.getType()) && "json".equalsIgnoreCase(type.getSubtype());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
