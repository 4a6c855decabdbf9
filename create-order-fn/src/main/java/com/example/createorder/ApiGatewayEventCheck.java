package com.example.createorder;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.example.order.domain.Violation;
import io.micronaut.http.HttpStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before routing, the parts of an API Gateway payload-2.0 event that Micronaut's request adapter cannot
 * represent, so that they get a 400 problem instead of an exception:
 * <ul>
 *   <li>A path (both {@code rawPath} and {@code requestContext.http.path}) that is not an RFC 3986 path: a
 *       character outside {@code unreserved / sub-delims / ":" / "@" / "/"}, a {@code %} not followed by two hex
 *       digits, or a leading {@code //}. The adapter builds a {@link java.net.URI} from it and throws
 *       {@code UriSyntaxException} out of the handler. For {@code /orders/{id}} paths the id segment may hold only
 *       unreserved characters and percent-escapes: the router treats {@code + ; &} specially and answers 404.</li>
 *   <li>A header whose name is not an RFC 9110 token, or whose value has a control character other than tab, DEL,
 *       or leading or trailing whitespace (RFC 9110 section 5.5). Micronaut's header map rejects those with an
 *       {@code IllegalArgumentException} on first use, and again while encoding the error, leaving a bare 500.</li>
 *   <li>A body flagged {@code isBase64Encoded} that {@link Base64#getDecoder()} (what the adapter uses) cannot
 *       decode.</li>
 *   <li>An event without {@code requestContext.http.method}, which no HTTP request can produce.</li>
 * </ul>
 * Only these narrow, named conditions are checked; everything else goes to the controllers, and an unexpected
 * failure there still surfaces as a 5xx rather than being hidden as a client error.
 */
final class ApiGatewayEventCheck {

    static final String ORDER_PATH_PREFIX = "/orders/";
    private static final String HEX = "0123456789abcdefABCDEF";
    private static final String SUB_DELIMS = "!$&'()*+,;=";
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private ApiGatewayEventCheck() {
    }

    /** @return the problem to answer with, or empty when the event can be handed to the framework */
    static Optional<Problem> check(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                || event.getRequestContext().getHttp().getMethod() == null) {
            return Optional.of(Problem.of("malformed-request", "Malformed request", HttpStatus.BAD_REQUEST,
                    "The event is not an API Gateway HTTP request (payload 2.0): requestContext.http.method is missing.",
                    List.of(new Violation("method", "is required"))));
        }
        Optional<Problem> path = checkPath(event.getRequestContext().getHttp().getPath());
        if (path.isEmpty()) {
            path = checkPath(event.getRawPath());
        }
        if (path.isPresent()) {
            return path;
        }
        List<Violation> headers = checkHeaders(event.getHeaders());
        if (!headers.isEmpty()) {
            return Optional.of(Problem.of("invalid-header", "Invalid header", HttpStatus.BAD_REQUEST,
                    "A header value has control characters, leading or trailing whitespace, or a malformed name.",
                    headers));
        }
        if (event.getIsBase64Encoded() && event.getBody() != null && !isBase64(event.getBody())) {
            return Optional.of(Problem.of("malformed-request", "Malformed request body", HttpStatus.BAD_REQUEST,
                    "The request is flagged isBase64Encoded but its body is not base64 (RFC 4648 section 4).",
                    List.of(new Violation("body", "is not valid base64"))));
        }
        return Optional.empty();
    }

    private static Optional<Problem> checkPath(String path) {
        if (path == null) {
            return Optional.empty(); // the adapter reads a missing path as "/", which routes to 404
        }
        boolean orderIdPath = path.startsWith(ORDER_PATH_PREFIX) && path.length() > ORDER_PATH_PREFIX.length()
                && path.indexOf('/', ORDER_PATH_PREFIX.length()) < 0;
        if (orderIdPath) {
            String id = path.substring(ORDER_PATH_PREFIX.length());
            if (!isPath(id, false)) {
                return Optional.of(Problem.of("invalid-order-id", "Invalid order id", HttpStatus.BAD_REQUEST,
                        "Order ids are UUIDs; the id in the path has characters that are not allowed there.",
                        List.of(new Violation("id", "must be a UUID"))));
            }
            return Optional.empty();
        }
        if (!isPath(path, true) || path.startsWith("//")) {
            return Optional.of(Problem.of("invalid-path", "Invalid path", HttpStatus.BAD_REQUEST,
                    "The path must be an RFC 3986 path: unescaped characters outside letters, digits and - . _ ~ ! $ & ' ( )"
                            + " * + , ; = : @ / must be percent-encoded, and % must start a two-digit hex escape.",
                    List.of(new Violation("path", "is not a valid URI path"))));
        }
        return Optional.empty();
    }

    /** RFC 3986 {@code pchar}s and {@code /}; with {@code subDelims} false only unreserved characters and escapes. */
    private static boolean isPath(String text, boolean subDelims) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || HEX.indexOf(text.charAt(i + 1)) < 0 || HEX.indexOf(text.charAt(i + 2)) < 0) {
                    return false;
                }
                i += 2;
            } else if (!isUnreserved(c) && !(subDelims && (SUB_DELIMS.indexOf(c) >= 0 || c == ':' || c == '@' || c == '/'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static List<Violation> checkHeaders(Map<String, String> headers) {
        var violations = new ArrayList<Violation>();
        if (headers == null) {
            return violations;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (!isToken(name)) {
                violations.add(new Violation("headers", "header name " + printable(name)
                        + " is not an RFC 9110 token (letters, digits and ! # $ % & ' * + - . ^ _ ` | ~)"));
            } else if (!isFieldValue(header.getValue())) {
                violations.add(new Violation(fieldName(name), valueRule(name)));
            }
        }
        return violations;
    }

    /** The header as the API documents it (API Gateway lower-cases header names in payload 2.0). */
    private static String fieldName(String name) {
        return name.equalsIgnoreCase(OrderController.IDEMPOTENCY_KEY) ? OrderController.IDEMPOTENCY_KEY
                : name.equalsIgnoreCase("content-type") ? "Content-Type" : name;
    }

    private static String valueRule(String name) {
        if (name.equalsIgnoreCase(OrderController.IDEMPOTENCY_KEY)) {
            return OrderController.IDEMPOTENCY_KEY_RULE;
        }
        return "must not contain control characters (other than tab) or DEL, nor begin or end with whitespace";
    }

    static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field-value: no CTL except HTAB, no DEL, no leading or trailing SP/HTAB. Empty is allowed. */
    static boolean isFieldValue(String value) {
        if (value == null) {
            return false;
        }
        if (value.isEmpty()) {
            return true;
        }
        if (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(value.length() - 1))) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isBase64(String body) {
        try {
            Base64.getDecoder().decode(body);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A header name that cannot be printed as is, with non-printable characters as \\uXXXX. */
    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        var out = new StringBuilder("'");
        text.codePoints().limit(64).forEach(c -> {
            if (c >= 0x20 && c < 0x7F) {
                out.append((char) c);
            } else {
                out.append(String.format("\\u%04X", c));
            }
        });
        return out.append(text.length() > 64 ? "...'" : "'").toString();
    }
}
