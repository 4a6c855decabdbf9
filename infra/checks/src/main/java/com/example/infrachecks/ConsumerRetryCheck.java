package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code order.cancelled} event source mapping retries a transient failure (database unreachable) as often as the
 * API allows, {@value #API_MAXIMUM} times, before Lambda hands the batch to the on-failure destination and commits
 * past it, which skips cancellations (ADR 0045). Poison never reaches these retries (the consumer dead-letters it), so
 * a smaller number only shortens the time a database outage may last before cancellations are skipped, by an amount
 * AWS does not document. This check fails when
 * <ul>
 *   <li>the mapping's {@code maximum_retry_attempts} is missing or, resolved through the module call, is not
 *       {@value #API_MAXIMUM};</li>
 *   <li>the functions module's {@code variable "consumer"} validations accept any of {@link #PROBES} (for example 0,
 *       with which the first transient failure sends the batch to the destination) or refuse {@value #API_MAXIMUM}.
 *       The conditions that mention {@value #ATTRIBUTE} are evaluated here (comparisons, {@code && || !},
 *       parentheses and whole numbers); a condition this cannot evaluate is a finding, never a pass.</li>
 * </ul>
 */
public final class ConsumerRetryCheck {

    static final long API_MAXIMUM = 10_000;
    /** Values the module must refuse: the API's "infinite" (10 with a destination), none, one, a few, one short, one over. */
    static final List<Long> PROBES = List.of(-1L, 0L, 1L, 10L, 9_999L, 10_001L);
    static final String ATTRIBUTE = "var.consumer.maximum_retry_attempts";
    static final String MODULE = "modules/functions";
    static final String CONSUMER_ALIAS = "aws_lambda_alias.cancel_consumer";

    private ConsumerRetryCheck() {
    }

    public static List<String> findings(TerraformFiles terraform) {
        List<String> findings = new ArrayList<>();
        List<TerraformFiles.Resource> mappings = terraform.resources("aws_lambda_event_source_mapping").stream()
                .filter(r -> r.body().path("function_name").asText().contains(CONSUMER_ALIAS))
                .toList();
        if (mappings.isEmpty()) {
            findings.add(terraform.dir() + ": no aws_lambda_event_source_mapping invokes " + CONSUMER_ALIAS + ", nothing to check");
        }
        for (TerraformFiles.Resource mapping : mappings) {
            String where = mapping.address() + ": ";
            JsonNode retries = mapping.body().path("maximum_retry_attempts");
            if (retries.isMissingNode()) {
                findings.add(where + "maximum_retry_attempts is not set: the API default -1 becomes 10 retries with an"
                        + " on-failure destination (ADR 0045)");
                continue;
            }
            String moduleDir = mapping.file().contains("/") ? mapping.file().substring(0, mapping.file().lastIndexOf('/')) : ".";
            List<String> problems = new ArrayList<>();
            Optional<String> value = RelayTimeBudgetCheck.resolve(terraform, moduleDir, retries, problems, "maximum_retry_attempts");
            problems.forEach(p -> findings.add(where + p));
            if (value.isPresent() && !value.get().trim().equals(Long.toString(API_MAXIMUM))) {
                findings.add(where + "maximum_retry_attempts is " + value.get() + ", not " + API_MAXIMUM
                        + " (the API maximum): a database outage would send batches to the on-failure destination sooner, skipping cancellations (ADR 0045)");
            }
        }
        findings.addAll(validationFindings(terraform));
        return findings;
    }

    /** What the functions module's validations of {@value #ATTRIBUTE} accept and refuse. */
    static List<String> validationFindings(TerraformFiles terraform) {
        List<String> findings = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        terraform.parsed().forEach((file, json) -> {
            if (ModuleWiringCheck.directoryOf(file).equals(MODULE)) {
                for (JsonNode validation : json.path("variable").path("consumer").path(0).path("validation")) {
                    String condition = unwrap(validation.path("condition").asText());
                    if (condition.contains(ATTRIBUTE)) {
                        conditions.add(condition);
                    }
                }
            }
        });
        String where = MODULE + ": variable \"consumer\": ";
        if (conditions.isEmpty()) {
            findings.add(where + "no validation of " + ATTRIBUTE + " (ADR 0045 requires " + API_MAXIMUM + ")");
            return findings;
        }
        for (long probe : PROBES) {
            boolean refused = false;
            for (String condition : conditions) {
                try {
                    refused |= !Condition.holds(condition, probe);
                } catch (IllegalArgumentException e) {
                    findings.add(where + "cannot evaluate validation condition \"" + condition + "\": " + e.getMessage());
                    return findings;
                }
            }
            if (!refused) {
                findings.add(where + "the validations accept maximum_retry_attempts = " + probe + "; they must refuse"
                        + " every value but " + API_MAXIMUM + " (ADR 0045: fewer retries skip cancellations sooner)");
            }
        }
        for (String condition : conditions) {
            if (!Condition.holds(condition, API_MAXIMUM)) {
                findings.add(where + "validation \"" + condition + "\" refuses " + API_MAXIMUM + ", the value ADR 0045 deploys");
            }
        }
        return findings;
    }

    private static String unwrap(String expression) {
        String trimmed = expression.trim();
        return trimmed.startsWith("${") && trimmed.endsWith("}") ? trimmed.substring(2, trimmed.length() - 1).trim() : trimmed;
    }

    /**
     * Evaluates the small part of Terraform's expression language a numeric validation uses, with {@value #ATTRIBUTE}
     * bound to one value. Anything else (a function call, another reference) throws {@link IllegalArgumentException}.
     */
    static final class Condition {
        private static final Pattern TOKEN = Pattern.compile(
                "\\s*(var(?:\\.[A-Za-z_][A-Za-z0-9_-]*)+|\\d+|true|false|==|!=|<=|>=|&&|\\|\\||[<>!()\\-])");

        private final List<String> tokens = new ArrayList<>();
        private final long value;
        private int next;

        private Condition(String expression, long value) {
            this.value = value;
            Matcher m = TOKEN.matcher(expression);
            int at = 0;
            while (at < expression.length() && m.find(at) && m.start() == at) {
                tokens.add(m.group(1));
                at = m.end();
            }
            if (!expression.substring(at).isBlank()) {
                throw new IllegalArgumentException("unsupported syntax at \"" + expression.substring(at).trim() + "\"");
            }
        }

        static boolean holds(String expression, long value) {
            var condition = new Condition(expression, value);
            Object result = condition.or();
            if (condition.next != condition.tokens.size()) {
                throw new IllegalArgumentException("unexpected \"" + condition.tokens.get(condition.next) + "\"");
            }
            if (!(result instanceof Boolean b)) {
                throw new IllegalArgumentException("not a condition");
            }
            return b;
        }

        private Object or() {
            Object left = and();
            while (accept("||")) {
                boolean right = bool(and());
                left = bool(left) || right;
            }
            return left;
        }

        private Object and() {
            Object left = not();
            while (accept("&&")) {
                boolean right = bool(not());
                left = bool(left) && right;
            }
            return left;
        }

        private Object not() {
            return accept("!") ? !bool(not()) : comparison();
        }

        private Object comparison() {
            Object left = unary();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (accept(op)) {
                    Object right = unary();
                    if (op.equals("==") || op.equals("!=")) {
                        return left.equals(right) == op.equals("==");
                    }
                    long a = number(left);
                    long b = number(right);
                    return switch (op) {
                        case "<=" -> a <= b;
                        case ">=" -> a >= b;
                        case "<" -> a < b;
                        default -> a > b;
                    };
                }
            }
            return left;
        }

        private Object unary() {
            if (accept("-")) {
                return -number(unary());
            }
            if (accept("(")) {
                Object inner = or();
                expect(")");
                return inner;
            }
            String token = take();
            if (token.equals("true") || token.equals("false")) {
                return Boolean.parseBoolean(token);
            }
            if (token.equals(ATTRIBUTE)) {
                return value;
            }
            if (token.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(token);
            }
            throw new IllegalArgumentException("unsupported operand \"" + token + "\"");
        }

        private boolean accept(String token) {
            if (next < tokens.size() && tokens.get(next).equals(token)) {
                next++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw new IllegalArgumentException("expected \"" + token + "\"");
            }
        }

        private String take() {
            if (next >= tokens.size()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return tokens.get(next++);
        }

        private static boolean bool(Object o) {
            if (o instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(o + " is not a boolean");
        }

        private static long number(Object o) {
            if (o instanceof Long l) {
                return l;
            }
            throw new IllegalArgumentException(o + " is not a number");
        }
    }
}
