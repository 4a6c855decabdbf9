package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Version resolution and the upcaster chain. Production reads version 1 only; the chain itself is shown with
 * synthetic versions (a v2 that turns {@code reason} into {@code {"text","code"}} and a v3 that nests the order
 * id), which is exactly the shape the first real incompatible change will take.
 */
class CancelledEventVersionsTest {

    static final JsonMapper JSON = JsonMapper.createDefault();
    static final String ORDER = "5b1f0a8e-2222-4c1e-9d7a-3b2a1c0d9e8f";

    static JsonNode json(String text) {
        try {
            return JSON.readValue(text.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String v(int n) {
        return CancelledEventVersions.DATASCHEMA_PREFIX + "v" + n + ".schema.json";
    }

    static Map<String, JsonNode> fields(JsonNode object) {
        var map = new LinkedHashMap<String, JsonNode>();
        object.entries().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /** Synthetic v1 → v2: {@code reason} (string) becomes {@code {"text": reason, "code": "UNSPECIFIED"}}. */
    static final CancellationUpcaster V1_TO_V2 = v1 -> {
        var f = fields(v1);
        JsonNode reason = f.remove("reason");
        var structured = new LinkedHashMap<String, JsonNode>();
        structured.put("code", JsonNode.createStringNode("UNSPECIFIED"));
        if (reason != null && !reason.isNull()) {
            if (!reason.isString()) {
                throw new IllegalArgumentException("reason must be a string in version 1");
            }
            structured.put("text", reason);
        }
        f.put("reason", JsonNode.createObjectNode(structured));
        f.put("schemaVersion", JsonNode.createNumberNode(2));
        return JsonNode.createObjectNode(f);
    };

    /** Synthetic v2 → v3: {@code orderId} moves to {@code order.id}. */
    static final CancellationUpcaster V2_TO_V3 = v2 -> {
        var f = fields(v2);
        JsonNode orderId = f.remove("orderId");
        f.put("order", JsonNode.createObjectNode(orderId == null ? Map.of() : Map.of("id", orderId)));
        f.put("schemaVersion", JsonNode.createNumberNode(3));
        return JsonNode.createObjectNode(f);
    };

    static final CancelledEventVersions SYNTHETIC = new CancelledEventVersions(1, List.of(V1_TO_V2, V2_TO_V3));

    @Test
    void productionReadsVersionOneFromEveryWayItCanBeSaid() {
        var versions = CancelledEventVersions.SUPPORTED;
        assertThat(versions.oldest()).isEqualTo(1);
        assertThat(versions.current()).isEqualTo(1);
        String bare = "{\"orderId\":\"" + ORDER + "\",\"reason\":\"r\"}";
        for (var body : List.of(bare, "{\"schemaVersion\":1,\"orderId\":\"" + ORDER + "\"}",
                "{\"schemaVersion\":1.0,\"orderId\":\"" + ORDER + "\"}", "{\"schemaVersion\":\" 1 \",\"orderId\":\"" + ORDER + "\"}",
                "{\"schemaVersion\":null,\"orderId\":\"" + ORDER + "\"}")) {
            for (String header : new String[] {null, v(1), " " + v(1) + " ", "https://registry.other.example/schemas/cancel/7"}) {
                var resolution = versions.toCurrent(json(body), header);
                assertThat(resolution).as("%s with ce_dataschema %s", body, header)
                        .isInstanceOf(CancelledEventVersions.Current.class);
                var current = (CancelledEventVersions.Current) resolution;
                assertThat(current.arrivedAs()).isEqualTo(1);
                assertThat(current.body()).isEqualTo(json(body)); // nothing to upcast
            }
        }
    }

    @Test
    void newerOlderContradictoryOrForeignVersionsAreUnsupported() {
        var versions = CancelledEventVersions.SUPPORTED;
        var cases = Map.of(
                "{\"schemaVersion\":2,\"orderId\":\"x\"}|", "version 2 is not supported (this consumer reads 1)",
                "{\"orderId\":\"x\"}|" + v(2), "version 2 is not supported (this consumer reads 1)",
                "{\"schemaVersion\":1,\"orderId\":\"x\"}|" + v(2), "ce_dataschema says version 2 but schemaVersion says 1",
                "{\"orderId\":\"x\"}|" + CancelledEventVersions.CONTRACTS + "order.created/v1.schema.json",
                "ce_dataschema " + CancelledEventVersions.CONTRACTS + "order.created/v1.schema.json is not an order.cancelled contract",
                "{\"schemaVersion\":1.5}|", "schemaVersion 1.5 is not a version number",
                "{\"schemaVersion\":\"one\"}|", "schemaVersion \"one\" is not a version number",
                "{\"schemaVersion\":0}|", "schemaVersion 0 is not a version number",
                "{\"schemaVersion\":true}|", "schemaVersion true is not a version number");
        cases.forEach((input, detail) -> {
            String[] parts = input.split("\\|", -1);
            var resolution = versions.toCurrent(json(parts[0]), parts[1].isEmpty() ? null : parts[1]);
            assertThat(resolution).as(input).isEqualTo(new CancelledEventVersions.Unsupported(detail));
        });
    }

    @Test
    void oldVersionOneIsUpcastThroughTheChainToTheCurrentModel() {
        var resolution = SYNTHETIC.toCurrent(json("{\"orderId\":\"" + ORDER + "\",\"reason\":\"late\",\"extra\":[1]}"), null);
        var current = (CancelledEventVersions.Current) resolution;
        assertThat(current.arrivedAs()).isEqualTo(1);
        assertThat(current.body()).isEqualTo(json("{\"extra\":[1],\"reason\":{\"code\":\"UNSPECIFIED\",\"text\":\"late\"},"
                + "\"schemaVersion\":3,\"order\":{\"id\":\"" + ORDER + "\"}}"));

        var fromV2 = (CancelledEventVersions.Current) SYNTHETIC.toCurrent(json("{\"order" + "Id\":\"" + ORDER
                + "\",\"reason\":{\"code\":\"FRAUD\"}}"), v(2));
        assertThat(fromV2.arrivedAs()).isEqualTo(2);
        assertThat(fromV2.body().get("order").get("id").getStringValue()).isEqualTo(ORDER);
        assertThat(fromV2.body().get("reason").get("code").getStringValue()).isEqualTo("FRAUD");

        String v3 = "{\"schemaVersion\":3,\"order\":{\"id\":\"" + ORDER + "\"}}";
        assertThat(((CancelledEventVersions.Current) SYNTHETIC.toCurrent(json(v3), v(3))).body()).isEqualTo(json(v3));
        assertThat(SYNTHETIC.toCurrent(json("{\"schemaVersion\":4}"), null))
                .isEqualTo(new CancelledEventVersions.Unsupported("version 4 is not supported (this consumer reads 1 to 3)"));
    }

    @Test
    void aValueAnUpcasterCannotConvertIsUnsupportedNotAnException() {
        assertThat(SYNTHETIC.toCurrent(json("{\"orderId\":\"" + ORDER + "\",\"reason\":42}"), null))
                .isEqualTo(new CancelledEventVersions.Unsupported(
                        "cannot upcast version 1 to 2: reason must be a string in version 1"));
        var dropsEverything = new CancelledEventVersions(1, List.of(v1 -> JsonNode.nullNode()));
        assertThat(dropsEverything.toCurrent(json("{}"), null))
                .isEqualTo(new CancelledEventVersions.Unsupported("upcasting version 1 to 2 gave no JSON object"));
    }

    @Test
    void olderVersionsThanTheOldestReadAreUnsupported() {
        var fromTwo = new CancelledEventVersions(2, List.of(V2_TO_V3));
        assertThat(fromTwo.toCurrent(json("{\"orderId\":\"x\"}"), v(1)))
                .isEqualTo(new CancelledEventVersions.Unsupported("version 1 is not supported (this consumer reads 2 to 3)"));
        assertThat(fromTwo.toCurrent(json("{\"orderId\":\"x\"}"), null)).as("no version means version 1, retired here")
                .isEqualTo(new CancelledEventVersions.Unsupported("version 1 is not supported (this consumer reads 2 to 3)"));
        assertThat(fromTwo.toCurrent(json("{\"orderId\":\"x\"}"), v(2))).isInstanceOf(CancelledEventVersions.Current.class)
                .extracting(r -> ((CancelledEventVersions.Current) r).arrivedAs()).isEqualTo(2);
    }

    /** Whatever the version fields hold, resolution never throws and reads exactly version 1. Seed fixed, printed by jqwik. */
    @Property(tries = 200, seed = "20261130", edgeCases = EdgeCasesMode.MIXIN)
    void versionParsingIsTotalAndReadsExactlyVersionOne(@ForAll("versionValues") String schemaVersion,
            @ForAll("dataSchemas") String dataSchema) {
        String body = schemaVersion == null ? "{\"orderId\":\"x\"}" : "{\"orderId\":\"x\",\"schemaVersion\":" + schemaVersion + "}";
        var resolution = CancelledEventVersions.SUPPORTED.toCurrent(json(body), dataSchema);
        boolean bodySaysOne = schemaVersion == null || schemaVersion.equals("null")
                || schemaVersion.matches("\"\\s*0*1\\s*\"") || isNumberOne(schemaVersion);
        boolean headerSaysOne = dataSchema == null || !dataSchema.trim().startsWith(CancelledEventVersions.CONTRACTS)
                || dataSchema.trim().equals(v(1));
        assertThat(resolution instanceof CancelledEventVersions.Current).as("%s / %s", body, dataSchema)
                .isEqualTo(bodySaysOne && headerSaysOne);
    }

    static boolean isNumberOne(String literal) {
        try {
            return Double.parseDouble(literal) == 1.0 && !literal.startsWith("\"");
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    @Provide
    Arbitrary<String> versionValues() {
        return Arbitraries.oneOf(
                Arbitraries.just(null), Arbitraries.just("null"), Arbitraries.of("1", "1.0", "2", "0", "-1", "1.5", "1e0",
                        "true", "[1]", "{\"major\":1}", "\"1\"", "\" 1 \"", "\"01\"", "\"1.0\"", "\"v1\"", "\"\"", "99999999999"),
                Arbitraries.integers().between(-5, 1_000).map(Object::toString),
                Arbitraries.strings().alpha().numeric().ofMaxLength(6).map(s -> "\"" + s + "\""));
    }

    @Provide
    Arbitrary<String> dataSchemas() {
        return Arbitraries.oneOf(
                Arbitraries.just(null), Arbitraries.of(v(1), v(2), v(0), v(1) + "#", " " + v(1),
                        CancelledEventVersions.DATASCHEMA_PREFIX + "v01.schema.json",
                        CancelledEventVersions.CONTRACTS + "order.created/v1.schema.json", "urn:x", ""),
                Arbitraries.integers().between(1, 20).map(CancelledEventVersionsTest::v),
                Arbitraries.strings().ofMaxLength(20).map(s -> CancelledEventVersions.CONTRACTS + s));
    }
}
