package com.example.infrachecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The jar sizes the READMEs state are the sizes of the jars this build just packaged (this module depends on the
 * function modules, so the reactor packages them first), within {@value #TOLERANCE_PERCENT} %: the root README's
 * "Deployable artifacts" table and each function README's size sentence,
 * {@code **N MB** (`name.jar`, measured YYYY-MM-DD …)}. MB = 1,000,000 bytes. A figure that drifted further fails
 * with the measured size, so whoever changed the jar updates the figure and its date.
 */
class DocumentedArtifactSizesTest {

    static final int TOLERANCE_PERCENT = 10;

    static final List<String> FUNCTIONS = List.of("create-order-fn", "schema-migration-fn", "outbox-relay-fn",
            "cancel-consumer-fn");

    private static final Pattern TABLE_ROW =
            Pattern.compile("(?m)^\\| `([a-z-]+)/target/([a-z-]+\\.jar)` \\| ([0-9]+(?:\\.[0-9]+)?) MB \\|");
    private static final Pattern SENTENCE =
            Pattern.compile("\\*\\*([0-9]+(?:\\.[0-9]+)?) MB\\*\\*\\s+\\(`([a-z-]+\\.jar)`,\\s+measured\\s+(\\d{4}-\\d{2}-\\d{2})");

    @Test
    void readmeFiguresAreTheBuiltJarsSizes() throws IOException {
        Path root = DeployedTerraformTest.REPO_ROOT;
        Map<String, Double> table = new TreeMap<>();
        Matcher row = TABLE_ROW.matcher(Files.readString(root.resolve("README.md")));
        while (row.find()) {
            table.put(row.group(2), Double.parseDouble(row.group(3)));
        }
        List<String> problems = new ArrayList<>();
        for (String module : FUNCTIONS) {
            String jar = module + ".jar";
            Path artifact = root.resolve(module).resolve("target").resolve(jar);
            assertTrue(Files.isRegularFile(artifact), artifact + " was not packaged before this test");
            double builtMb = Files.size(artifact) / 1_000_000.0;
            Double inTable = table.get(jar);
            if (inTable == null) {
                problems.add("README.md's \"Deployable artifacts\" table has no row for " + jar);
            } else {
                compare("README.md", jar, inTable, builtMb, problems);
            }
            Path readme = root.resolve(module).resolve("README.md");
            Matcher sentence = SENTENCE.matcher(Files.readString(readme));
            boolean found = false;
            while (sentence.find()) {
                if (sentence.group(2).equals(jar)) {
                    found = true;
                    compare(module + "/README.md", jar, Double.parseDouble(sentence.group(1)), builtMb, problems);
                }
            }
            if (!found) {
                problems.add(module + "/README.md states no size of " + jar + " as **N MB** (`" + jar
                        + "`, measured YYYY-MM-DD …)");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void compare(String where, String jar, double documentedMb, double builtMb, List<String> problems) {
        if (Math.abs(documentedMb - builtMb) > builtMb * TOLERANCE_PERCENT / 100) {
            problems.add("%s says %s is %.1f MB, the jar built now is %.1f MB (more than %d %% apart): update the"
                    .formatted(where, jar, documentedMb, builtMb, TOLERANCE_PERCENT) + " figure and its date");
        }
    }
}
