package com.example.contracts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Whether a new revision of one contract (a JSON Schema) can replace the old one under the same version, the
 * policy of ADR 0060: every event valid under the old schema stays valid (retained and replayed events still
 * read), and nothing a reader of the old schema relies on goes away.
 *
 * <p>Compatible: a new optional property (unless the old schema forbade additional properties), a new enum
 * value, and any change to annotations ({@code title}, {@code description}, {@code $comment}, {@code examples},
 * {@code default}, {@code deprecated}). Breaking: removing a property or a required entry, making a property
 * required, changing {@code type}, removing an enum value, and any change to another keyword ({@code const},
 * {@code format}, {@code pattern}, bounds, {@code additionalProperties}, combinators, ...). The last rule is
 * deliberately conservative: a keyword this check does not reason about cannot change without a new version.
 *
 * <p>Hand-written because no maintained JVM library for JSON Schema compatibility is served here (Confluent's
 * checker lives in its own repository, not Maven Central); it understands exactly the keywords the contracts
 * use. Local {@code $ref}s ({@code #/...}) are followed on both sides.
 */
public final class SchemaCompatibility {

    /** One incompatible difference: where in the schema (JSON pointer-like) and what. */
    public record Break(String at, String reason) {
        @Override
        public String toString() {
            return (at.isEmpty() ? "/" : at) + ": " + reason;
        }
    }

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$comment", "examples", "default",
            "deprecated", "$schema", "$defs");
    private static final int MAX_REF_DEPTH = 32;

    private SchemaCompatibility() {
    }

    /** The incompatible differences from {@code old} to {@code current}; empty if {@code current} may replace it. */
    public static List<Break> breaks(JsonNode old, JsonNode current) {
        var found = new ArrayList<Break>();
        compare("", old, current, old, current, 0, found);
        return found;
    }

    private static void compare(String at, JsonNode old, JsonNode current, JsonNode oldRoot, JsonNode currentRoot,
            int depth, List<Break> found) {
        if (depth > MAX_REF_DEPTH) {
            found.add(new Break(at, "$ref nesting deeper than " + MAX_REF_DEPTH));
            return;
        }
        JsonNode o = resolve(old, oldRoot);
        JsonNode c = resolve(current, currentRoot);
        if (o == null || c == null) {
            found.add(new Break(at, "unresolvable $ref"));
            return;
        }
        if (o != old || c != current) {
            compare(at, o, c, oldRoot, currentRoot, depth + 1, found);
            return;
        }
        if (!o.isObject() || !c.isObject()) { // boolean schemas
            if (!o.equals(c)) {
                found.add(new Break(at, "schema changed from " + o + " to " + c));
            }
            return;
        }
        var keywords = new LinkedHashSet<String>(o.propertyNames());
        keywords.addAll(c.propertyNames());
        for (String keyword : keywords) {
            if (ANNOTATIONS.contains(keyword)) {
                continue;
            }
            JsonNode ov = o.get(keyword);
            JsonNode cv = c.get(keyword);
            switch (keyword) {
                case "type" -> {
                    if (!types(ov).equals(types(cv))) {
                        found.add(new Break(at, "type changed from " + types(ov) + " to " + types(cv)));
                    }
                }
                case "required" -> {
                    Set<String> before = strings(ov);
                    Set<String> after = strings(cv);
                    before.stream().filter(name -> !after.contains(name)).forEach(name ->
                            found.add(new Break(at, "required property '" + name + "' is no longer required")));
                    after.stream().filter(name -> !before.contains(name)).forEach(name -> found.add(new Break(at,
                            "property '" + name + "' became required (events written before may lack it)")));
                }
                case "properties" -> compareProperties(at, o, c, oldRoot, currentRoot, depth, found);
                case "items" -> {
                    if (ov == null || cv == null) {
                        found.add(new Break(at, "items " + (ov == null ? "added" : "removed")));
                    } else {
                        compare(at + "/items", ov, cv, oldRoot, currentRoot, depth + 1, found);
                    }
                }
                case "enum" -> {
                    if (ov == null || cv == null) {
                        found.add(new Break(at, "enum " + (ov == null ? "added" : "removed")));
                    } else {
                        for (JsonNode value : ov) {
                            if (!contains(cv, value)) {
                                found.add(new Break(at, "enum value " + value + " removed"));
                            }
                        }
                    }
                }
                default -> {
                    if (ov == null || cv == null || !ov.equals(cv)) {
                        found.add(new Break(at, "'" + keyword + "' changed from " + ov + " to " + cv));
                    }
                }
            }
        }
    }

    private static void compareProperties(String at, JsonNode o, JsonNode c, JsonNode oldRoot, JsonNode currentRoot,
            int depth, List<Break> found) {
        JsonNode before = o.path("properties");
        JsonNode after = c.path("properties");
        for (String name : before.propertyNames()) {
            if (!after.has(name)) {
                found.add(new Break(at + "/properties/" + name, "property removed"));
            } else {
                compare(at + "/properties/" + name, before.get(name), after.get(name), oldRoot, currentRoot, depth + 1,
                        found);
            }
        }
        JsonNode additional = o.get("additionalProperties");
        boolean closed = additional != null && !(additional.isBoolean() && additional.asBoolean());
        for (String name : after.propertyNames()) {
            if (!before.has(name) && closed) {
                found.add(new Break(at + "/properties/" + name,
                        "property added where the old schema restricted additional properties"));
            }
        }
    }

    /** Follows a local {@code $ref} if the schema is only that; returns the schema itself otherwise, null if unresolvable. */
    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        if (schema == null || !schema.isObject() || !schema.has("$ref")) {
            return schema;
        }
        String ref = schema.get("$ref").asString();
        if (!ref.startsWith("#")) {
            return null;
        }
        if (schema.size() > 1) {
            return schema; // $ref next to other keywords: compared keyword by keyword, $ref as a plain value
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }

    private static Set<String> types(JsonNode type) {
        return type == null ? Set.of("any") : strings(type);
    }

    private static Set<String> strings(JsonNode node) {
        var set = new TreeSet<String>();
        if (node == null) {
            return set;
        }
        if (node.isArray()) {
            node.forEach(n -> set.add(n.asString()));
        } else {
            set.add(node.asString());
        }
        return set;
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode n : array) {
            if (n.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
