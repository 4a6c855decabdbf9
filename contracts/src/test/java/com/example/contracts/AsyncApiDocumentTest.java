package com.example.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** asyncapi.yaml parses, is AsyncAPI 3.0, and references exactly the contract files that exist (each one once). */
class AsyncApiDocumentTest {

    @Test
    void everyContractIsReferencedAndEveryReferenceResolves() throws Exception {
        Path dir = ContractCompatibilityTest.CONTRACTS;
        JsonNode doc = YAMLMapper.builder().build().readTree(Files.readString(dir.resolve("asyncapi.yaml")));
        assertThat(doc.path("asyncapi").asString()).startsWith("3.0");

        var fileRefs = new ArrayList<String>();
        collectRefs(doc, doc, fileRefs);
        assertThat(fileRefs).containsExactlyInAnyOrderElementsOf(ContractBaseline.contractFiles(dir));
        assertThat(doc.path("channels").path("orderCreated").path("address").asString()).isEqualTo("order.created");
    }

    /** File refs ("./x/y.json") as "x/y.json"; local refs ("#/...") must resolve inside the document. */
    static void collectRefs(JsonNode node, JsonNode root, List<String> fileRefs) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                String target = ref.asString();
                if (target.startsWith("#")) {
                    assertThat(root.at(target.substring(1)).isMissingNode()).as("unresolved %s", target).isFalse();
                } else {
                    assertThat(target).startsWith("./");
                    fileRefs.add(target.substring(2));
                }
            }
            node.values().forEach(child -> collectRefs(child, root, fileRefs));
        } else if (node.isArray()) {
            node.values().forEach(child -> collectRefs(child, root, fileRefs));
        }
    }
}
