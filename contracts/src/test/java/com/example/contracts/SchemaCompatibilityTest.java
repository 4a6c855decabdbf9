package com.example.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Fixtures: the real contracts, changed one way at a time; each breaking change is caught, each compatible one passes. */
class SchemaCompatibilityTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static ObjectNode contract(String path) throws Exception {
        try (InputStream in = SchemaCompatibilityTest.class.getClassLoader().getResourceAsStream("contracts/" + path)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    static List<SchemaCompatibility.Break> afterChange(String path, Consumer<ObjectNode> change) throws Exception {
        ObjectNode old = contract(path);
        ObjectNode changed = old.deepCopy();
        change.accept(changed);
        return SchemaCompatibility.breaks(old, changed);
    }

    static ObjectNode property(ObjectNode schema, String... names) {
        ObjectNode node = schema;
        for (String name : names) {
            node = (ObjectNode) node.get("properties").get(name);
        }
        return node;
    }

    @Test
    void unchangedSchemaHasNoBreaks() throws Exception {
        for (String path : List.of("order.created/v1.schema.json", "order.created/v1.headers.schema.json",
                "order.cancelled/v1.schema.json", "order.cancelled/v1.headers.schema.json",
                "order.cancelled.dlq/v1.schema.json", "order.cancelled.dlq/v1.headers.schema.json")) {
            assertThat(SchemaCompatibility.breaks(contract(path), contract(path))).as(path).isEmpty();
        }
    }

    /** Fixture of the revision that added {@code payloadOmitted} (oversized dead letters) to v1 in place. */
    @Test
    void addingTheOptionalPayloadOmittedToTheDeadLetterIsCompatible() throws Exception {
        ObjectNode current = contract("order.cancelled.dlq/v1.schema.json");
        ObjectNode before = current.deepCopy();
        ((ObjectNode) before.get("properties")).remove("payloadOmitted");
        property(before, "headers").remove("description");
        assertThat(SchemaCompatibility.breaks(before, current)).isEmpty();
        ObjectNode headers = contract("order.cancelled.dlq/v1.headers.schema.json");
        ObjectNode headersBefore = headers.deepCopy();
        ((ObjectNode) headersBefore.get("properties")).remove("dlq-payload-omitted");
        assertThat(SchemaCompatibility.breaks(headersBefore, headers)).isEmpty();

        ObjectNode required = current.deepCopy();
        ((ArrayNode) required.get("required")).add("payloadOmitted");
        assertThat(SchemaCompatibility.breaks(current, required)).extracting(SchemaCompatibility.Break::reason)
                .containsExactly("property 'payloadOmitted' became required (events written before may lack it)");
        var narrowed = afterChange("order.cancelled.dlq/v1.schema.json",
                s -> property(s, "payloadOmitted", "original", "keySha256").put("pattern", "^[0-9A-F]{64}$"));
        assertThat(narrowed).extracting(SchemaCompatibility.Break::at)
                .containsExactly("/properties/payloadOmitted/properties/original/properties/keySha256");
    }

    @Test
    void removingARequiredFieldBreaks() throws Exception {
        var breaks = afterChange("order.created/v1.schema.json", s -> {
            ArrayNode required = (ArrayNode) s.get("required");
            required.remove(2); // customerId
            ((ObjectNode) s.get("properties")).remove("customerId");
        });
        assertThat(breaks).extracting(SchemaCompatibility.Break::toString).containsExactlyInAnyOrder(
                "/: required property 'customerId' is no longer required",
                "/properties/customerId: property removed");
    }

    @Test
    void makingARequiredFieldOptionalBreaks() throws Exception {
        var breaks = afterChange("order.created/v1.schema.json", s -> ((ArrayNode) s.get("required")).remove(0));
        assertThat(breaks).extracting(SchemaCompatibility.Break::reason)
                .containsExactly("required property 'eventId' is no longer required");
    }

    @Test
    void changingATypeBreaks() throws Exception {
        var breaks = afterChange("order.created/v1.schema.json",
                s -> property(s, "totalAmount").put("type", "string"));
        assertThat(breaks).extracting(SchemaCompatibility.Break::toString)
                .containsExactly("/properties/totalAmount: type changed from [number] to [string]");

        var nested = afterChange("order.created/v1.schema.json",
                s -> ((ObjectNode) property(s, "items").get("items").get("properties").get("quantity")).put("type", "number"));
        assertThat(nested).extracting(SchemaCompatibility.Break::at)
                .containsExactly("/properties/items/items/properties/quantity");
    }

    @Test
    void removingAnOptionalPropertyBreaks() throws Exception {
        var breaks = afterChange("order.cancelled/v1.schema.json", s -> ((ObjectNode) s.get("properties")).remove("reason"));
        assertThat(breaks).extracting(SchemaCompatibility.Break::toString)
                .containsExactly("/properties/reason: property removed");
    }

    @Test
    void addingARequiredPropertyBreaks() throws Exception {
        var breaks = afterChange("order.cancelled/v1.schema.json", s -> {
            ((ObjectNode) s.get("properties")).putObject("cancelledBy").put("type", "string");
            ((ArrayNode) s.get("required")).add("cancelledBy");
        });
        assertThat(breaks).extracting(SchemaCompatibility.Break::reason)
                .containsExactly("property 'cancelledBy' became required (events written before may lack it)");
    }

    @Test
    void narrowingAnEnumBreaksWideningDoesNot() throws Exception {
        String path = "order.cancelled.dlq/v1.schema.json";
        var withEnum = afterChange(path, s -> property(s, "source", "timestampType").putArray("enum")
                .add("CREATE_TIME").add("LOG_APPEND_TIME"));
        assertThat(withEnum).as("adding an enum where there was none narrows").isNotEmpty();

        ObjectNode old = contract(path);
        property(old, "source", "timestampType").putArray("enum").add("CREATE_TIME").add("LOG_APPEND_TIME");
        ObjectNode narrowed = old.deepCopy();
        ((ArrayNode) property(narrowed, "source", "timestampType").get("enum")).remove(1);
        assertThat(SchemaCompatibility.breaks(old, narrowed)).extracting(SchemaCompatibility.Break::reason)
                .containsExactly("enum value \"LOG_APPEND_TIME\" removed");

        ObjectNode widened = old.deepCopy();
        ((ArrayNode) property(widened, "source", "timestampType").get("enum")).add("NO_TIMESTAMP_TYPE");
        assertThat(SchemaCompatibility.breaks(old, widened)).isEmpty();
    }

    @Test
    void changingAConstOrAFormatOrABoundBreaks() throws Exception {
        assertThat(afterChange("order.created/v1.headers.schema.json", s -> property(s, "ce_type").put("const", "order.placed")))
                .extracting(SchemaCompatibility.Break::reason).containsExactly(
                        "'const' changed from \"order.created\" to \"order.placed\"");
        assertThat(afterChange("order.created/v1.schema.json", s -> property(s, "orderId").remove("format")))
                .isNotEmpty();
        assertThat(afterChange("order.created/v1.schema.json", s -> property(s, "items").put("minItems", 2)))
                .isNotEmpty();
    }

    @Test
    void followsLocalRefsAndSeesChangesBehindThem() throws Exception {
        var breaks = afterChange("order.cancelled.dlq/v1.schema.json",
                s -> ((ObjectNode) s.get("$defs").get("base64OrNull")).put("type", "string"));
        assertThat(breaks).extracting(SchemaCompatibility.Break::at)
                .contains("/properties/key", "/properties/value", "/properties/headers/items/properties/value");
    }

    @Test
    void addingAnOptionalPropertyOrChangingDocsIsCompatible() throws Exception {
        assertThat(afterChange("order.created/v1.schema.json", s -> {
            ((ObjectNode) s.get("properties")).putObject("currency").put("type", "string");
            s.put("description", "reworded");
            property(s, "orderId").put("description", "the order's id");
        })).isEmpty();
    }

    @Test
    void addingAPropertyWhereAdditionalPropertiesWereForbiddenBreaks() throws Exception {
        ObjectNode old = contract("order.cancelled/v1.schema.json");
        old.put("additionalProperties", false);
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("properties")).putObject("channel").put("type", "string");
        assertThat(SchemaCompatibility.breaks(old, changed)).extracting(SchemaCompatibility.Break::reason)
                .containsExactly("property added where the old schema restricted additional properties");
    }

    @Test
    void anUnknownKeywordCannotChangeSilently() throws Exception {
        JsonNode old = contract("order.created/v1.schema.json");
        ObjectNode changed = (ObjectNode) old.deepCopy();
        changed.putArray("oneOf").addObject().put("type", "object");
        assertThat(SchemaCompatibility.breaks(old, changed)).extracting(SchemaCompatibility.Break::reason)
                .singleElement().asString().startsWith("'oneOf' changed");
    }
}
