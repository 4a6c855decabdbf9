package com.example.createorder;

import com.example.order.domain.OrderDraft;
import com.example.order.domain.OrderRules;
import com.example.order.domain.UuidText;
import com.example.order.domain.Violation;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads the POST /orders body into an {@link OrderDraft}, reporting type errors per field. Hand-written on the
 * streaming parser because a data-binding mapper would coerce {@code "5"} to 5, accept {@code 1.9} as a quantity,
 * or fail on the first problem without naming the field. Range rules are the domain's (OrderRules), not here.
 */
final class OrderRequestJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Deeply nested junk is refused early instead of walking it.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(100).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /**
     * Numbers whose scale (digits after the point, negative for a positive exponent) exceeds this in magnitude are
     * refused as out of range before any arithmetic. A price in range (0.01 to 1,000,000) written in at most 100
     * characters has a scale between -6 and 100, so nothing valid is lost; the bound keeps every later
     * {@code BigDecimal} operation small.
     */
    static final int MAX_DECIMAL_SCALE = 1_000;
    /** More items than this are not even read: the rule says at most 100, and the count is reported as it stands. */
    private static final int MAX_ITEMS_READ = 1_000;

    /** What could be read, and what was wrong with the types. {@code malformed} means the body is not usable JSON. */
    record Parsed(OrderDraft draft, List<Violation> violations, boolean malformed) {
    }

    private OrderRequestJson() {
    }

    static Parsed parse(byte[] body) {
        var violations = new ArrayList<Violation>();
        if (body == null || body.length == 0) {
            return malformed("is empty; expected a JSON object");
        }
        try (JsonParser json = FACTORY.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return malformed("must be a JSON object");
            }
            UUID customerId = null;
            List<OrderDraft.Line> items = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "customerId" -> customerId = uuid(json, value, "customerId", violations);
                    case "items" -> items = items(json, value, violations);
                    default -> json.skipChildren(); // unknown fields are ignored
                }
            }
            if (json.nextToken() != null) {
                return malformed("has content after the JSON object");
            }
            return new Parsed(new OrderDraft(customerId, items), violations, false);
        } catch (StreamConstraintsException e) {
            return malformed("is too deeply nested or has too long a number");
        } catch (JsonProcessingException e) {
            return malformed("is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return malformed("could not be read: " + e.getMessage());
        }
    }

    private static Parsed malformed(String message) {
        return new Parsed(new OrderDraft(null, null), List.of(new Violation("body", message)), true);
    }

    private static List<OrderDraft.Line> items(JsonParser json, JsonToken token, List<Violation> violations)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null; // the domain reports "required"
        }
        if (token != JsonToken.START_ARRAY) {
            violations.add(new Violation("items", "must be an array, not " + describe(token)));
            json.skipChildren();
            return null;
        }
        var lines = new ArrayList<OrderDraft.Line>();
        int index = 0;
        for (JsonToken element = json.nextToken(); element != JsonToken.END_ARRAY; element = json.nextToken()) {
            String at = "items[" + index + "]";
            if (index >= MAX_ITEMS_READ) {
                json.skipChildren();
            } else if (element != JsonToken.START_OBJECT) {
                violations.add(new Violation(at, "must be an object, not " + describe(element)));
                json.skipChildren();
                lines.add(null);
            } else {
                lines.add(line(json, at, violations));
            }
            index++;
        }
        return lines;
    }

    private static OrderDraft.Line line(JsonParser json, String at, List<Violation> violations) throws IOException {
        UUID productId = null;
        BigInteger quantity = null;
        BigDecimal unitPrice = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "productId" -> productId = uuid(json, value, at + ".productId", violations);
                case "quantity" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        quantity = json.getBigIntegerValue();
                    } else if (value != JsonToken.VALUE_NULL) {
                        violations.add(new Violation(at + ".quantity", "must be an integer, not " + describe(value)));
                        json.skipChildren();
                    }
                }
                case "unitPrice" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                        unitPrice = decimal(json.getText(), at + ".unitPrice", violations);
                    } else if (value != JsonToken.VALUE_NULL) {
                        violations.add(new Violation(at + ".unitPrice",
                                "must be a decimal number, not " + describe(value)));
                        json.skipChildren();
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new OrderDraft.Line(productId, quantity, unitPrice);
    }

    /**
     * The exact value of a JSON number literal, or null with a violation when it is out of the readable range. Read
     * from the literal's text rather than with the parser's {@code getDecimalValue()}: that throws an unchecked
     * {@link NumberFormatException} for exponents beyond {@code int} ({@code 1e-2147483649}), and a value with an
     * extreme scale ({@code 100e2147483647}) would overflow later in {@code stripTrailingZeros()}. The literal is at
     * most 100 characters (the factory's limit), so parsing it is cheap.
     */
    static BigDecimal decimal(String literal, String field, List<Violation> violations) {
        try {
            BigDecimal value = new BigDecimal(literal);
            if (Math.abs((long) value.scale()) <= MAX_DECIMAL_SCALE) {
                return value;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // the exponent does not fit: reported below like any other out-of-range number
        }
        violations.add(new Violation(field, "must be a decimal number between " + OrderRules.MIN_UNIT_PRICE + " and "
                + OrderRules.MAX_UNIT_PRICE.toPlainString() + " with at most 2 decimal places; " + literal
                + " is out of range"));
        return null;
    }

    private static UUID uuid(JsonParser json, JsonToken token, String field, List<Violation> violations)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null; // the domain reports "required"
        }
        if (token == JsonToken.VALUE_STRING && UuidText.isCanonical(json.getText())) {
            return UUID.fromString(json.getText());
        }
        violations.add(new Violation(field, "must be a UUID string like 3f2b1c9e-8a4d-4e1f-9b7a-2c5d6e7f8a90, not "
                + describe(token)));
        json.skipChildren();
        return null;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }
}
