package com.example.cancel;

import io.micronaut.json.tree.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions of {@code order.cancelled} this consumer reads (contracts/order.cancelled/v&lt;N&gt;.schema.json) and
 * how each becomes the current one: which version a record claims, and the chain of {@link CancellationUpcaster}s
 * from it to {@link #current()}. ADR 0060 gives the policy.
 *
 * <p>A record's version, from (both optional; if both are present they must agree):
 * <ul>
 *   <li>the {@code ce_dataschema} header, when it names one of this service's contracts
 *       ({@value #DATASCHEMA_PREFIX}v&lt;N&gt;.schema.json). A URI outside {@value #CONTRACTS} is some other
 *       registry's name for the payload and says nothing about these versions, so it is ignored; a URI inside it
 *       that names another event type is unsupported;</li>
 *   <li>the payload's {@code schemaVersion}: a whole number, as a JSON number ({@code 1}, {@code 1.0}) or a string
 *       of digits ({@code "1"}), for producers that send no headers.</li>
 * </ul>
 * Neither: version 1, which is what a bare {@code {"orderId","reason"}} producer sends. Versions name
 * incompatible revisions only: a compatible (minor) revision adds optional fields under the same number, so a
 * newer minor is read like any other record of its version, its unknown fields ignored.
 *
 * <p>Today version 1 is both the oldest and the current one, so the production chain is empty: no version 2 is
 * introduced before a change needs it. The chain and its tests (with synthetic versions) are here so that the
 * first incompatible change is a new schema file, one upcaster and a bump of {@link #current()}, with every
 * supported older version still read.
 */
final class CancelledEventVersions {

    static final String CONTRACTS = "https://order-service.example/contracts/";
    static final String DATASCHEMA_PREFIX = CONTRACTS + "order.cancelled/";
    private static final Pattern DATASCHEMA = Pattern.compile(Pattern.quote(DATASCHEMA_PREFIX) + "v([1-9][0-9]{0,8})\\.schema\\.json");
    /** The version of a record that names none: the shape producers sent before versions existed. */
    static final int UNVERSIONED = 1;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    /** What the service reads in production: version 1 only. */
    static final CancelledEventVersions SUPPORTED = new CancelledEventVersions(1, List.of());

    private final int oldest;
    private final List<CancellationUpcaster> steps;

    /**
     * @param oldest the oldest version still read (ADR 0060 says how long)
     * @param steps  {@code steps.get(i)} turns version {@code oldest + i} into {@code oldest + i + 1}; the current
     *               version is {@code oldest + steps.size()}
     */
    CancelledEventVersions(int oldest, List<CancellationUpcaster> steps) {
        if (oldest < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + oldest);
        }
        this.oldest = oldest;
        this.steps = List.copyOf(steps);
    }

    int oldest() {
        return oldest;
    }

    int current() {
        return oldest + steps.size();
    }

    /** The outcome for one record. */
    sealed interface Resolution {
    }

    /** The value as the current version, and the version it arrived in. */
    record Current(JsonNode body, int arrivedAs) implements Resolution {
    }

    /** A version this consumer does not read, or contradictory version information; the record is poison. */
    record Unsupported(String detail) implements Resolution {
    }

    /**
     * @param body       the record value, a JSON object
     * @param dataSchema the {@code ce_dataschema} header, or null
     */
    Resolution toCurrent(JsonNode body, String dataSchema) {
        Integer fromHeader = null;
        String schemaUri = dataSchema == null ? null : dataSchema.trim();
        if (schemaUri != null && schemaUri.startsWith(CONTRACTS)) {
            Matcher m = DATASCHEMA.matcher(schemaUri);
            if (!m.matches()) {
                return new Unsupported("ce_dataschema " + abbreviate(schemaUri) + " is not an order.cancelled contract");
            }
            fromHeader = Integer.parseInt(m.group(1));
        }
        JsonNode versionNode = body.get("schemaVersion");
        Integer fromBody = null;
        if (versionNode != null && !versionNode.isNull()) {
            fromBody = wholeNumber(versionNode);
            if (fromBody == null) {
                return new Unsupported("schemaVersion " + describe(versionNode) + " is not a version number");
            }
        }
        if (fromHeader != null && fromBody != null && !fromHeader.equals(fromBody)) {
            return new Unsupported("ce_dataschema says version " + fromHeader + " but schemaVersion says " + fromBody);
        }
        int version = fromHeader != null ? fromHeader : fromBody != null ? fromBody : UNVERSIONED;
        if (version < oldest || version > current()) {
            return new Unsupported("version " + version + " is not supported (this consumer reads "
                    + (oldest == current() ? Integer.toString(oldest) : oldest + " to " + current()) + ")");
        }
        JsonNode upcast = body;
        for (int v = version; v < current(); v++) {
            try {
                upcast = steps.get(v - oldest).upcast(upcast);
            } catch (RuntimeException e) {
                return new Unsupported("cannot upcast version " + v + " to " + (v + 1) + ": " + e.getMessage());
            }
            if (upcast == null || !upcast.isObject()) {
                return new Unsupported("upcasting version " + v + " to " + (v + 1) + " gave no JSON object");
            }
        }
        return new Current(upcast, version);
    }

    private static Integer wholeNumber(JsonNode node) {
        if (node.isNumber()) {
            double d = node.getNumberValue().doubleValue();
            return d >= 1 && d <= 999_999_999 && d == Math.rint(d) ? (int) d : null;
        }
        if (node.isString() && DIGITS.matcher(node.getStringValue().trim()).matches()) {
            int n = Integer.parseInt(node.getStringValue().trim());
            return n >= 1 ? n : null;
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node.isString()) {
            return "\"" + abbreviate(node.getStringValue()) + "\"";
        }
        if (node.isNumber() || node.isBoolean()) {
            return String.valueOf(node.getValue());
        }
        return node.isArray() ? "(an array)" : "(an object)";
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
