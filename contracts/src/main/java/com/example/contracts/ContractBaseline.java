package com.example.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compatibility check: each contract file ({@code <type>/v<N>[.headers].schema.json}) against its committed
 * baseline copy ({@code baseline/<type>/v<N>[.headers].schema.json}), the last revision someone accepted.
 *
 * <p>A committed baseline rather than {@code git show HEAD~:…}: CI clones with depth 1, where there is no
 * previous commit to read, and "previous commit" is not "previous release" anyway. Changing a schema therefore
 * takes two edits, the schema and (through {@link #accept}, which refuses breaking changes) its baseline, and the
 * review sees both.
 *
 * <p>Findings: a breaking change ({@link SchemaCompatibility}); a baselined version whose file is gone (old
 * versions stay readable, ADR 0060); a compatible change or a new file not yet accepted; a file whose {@code $id}
 * is not its path under {@value EventContracts#BASE_URI} or whose {@code $schema} is not draft 2020-12.
 */
public final class ContractBaseline {

    static final String BASELINE = "baseline";
    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final Pattern CONTRACT_FILE = Pattern.compile("[a-z][a-z.]*/v[1-9][0-9]*\\.(headers\\.)?schema\\.json");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What the check found, in the order: breaking, then not yet accepted, then malformed. */
    public record Findings(List<String> breaking, List<String> unaccepted, List<String> malformed) {
        public boolean clean() {
            return breaking.isEmpty() && unaccepted.isEmpty() && malformed.isEmpty();
        }

        @Override
        public String toString() {
            var lines = new ArrayList<String>();
            breaking.forEach(b -> lines.add("BREAKING " + b));
            unaccepted.forEach(u -> lines.add("NOT ACCEPTED " + u));
            malformed.forEach(m -> lines.add("MALFORMED " + m));
            return String.join("\n", lines);
        }
    }

    private ContractBaseline() {
    }

    /** Checks every contract under {@code contractsDir} against {@code contractsDir/baseline}. */
    public static Findings check(Path contractsDir) {
        Path baselineDir = contractsDir.resolve(BASELINE);
        var breaking = new ArrayList<String>();
        var unaccepted = new ArrayList<String>();
        var malformed = new ArrayList<String>();
        var names = new TreeSet<String>(contractFiles(contractsDir));
        for (String name : contractFiles(baselineDir)) {
            if (!names.contains(name)) {
                breaking.add(name + ": version removed; versions stay readable until their retention ends (ADR 0060)");
            }
        }
        for (String name : names) {
            JsonNode current = read(contractsDir.resolve(name));
            String expectedId = EventContracts.BASE_URI + name;
            if (!expectedId.equals(current.path("$id").asString(null))) {
                malformed.add(name + ": $id must be " + expectedId);
            }
            if (!DRAFT_2020_12.equals(current.path("$schema").asString(null))) {
                malformed.add(name + ": $schema must be " + DRAFT_2020_12);
            }
            Path baseline = baselineDir.resolve(name);
            if (!Files.exists(baseline)) {
                unaccepted.add(name + ": new contract without a baseline; " + acceptHint());
                continue;
            }
            JsonNode old = read(baseline);
            var breaks = SchemaCompatibility.breaks(old, current);
            breaks.forEach(b -> breaking.add(name + " " + b + "; keep this version and add v<N+1> instead (ADR 0060)"));
            if (breaks.isEmpty() && !old.equals(current)) {
                unaccepted.add(name + ": changed compatibly but the baseline still holds the old revision; " + acceptHint());
            }
        }
        return new Findings(breaking, unaccepted, malformed);
    }

    /**
     * Records every new or compatibly changed contract as the baseline, after the same check. Refuses (and
     * changes nothing) if anything is breaking or malformed.
     *
     * @return the contract files copied
     * @throws IllegalStateException if there are breaking or malformed findings
     */
    public static List<String> accept(Path contractsDir) {
        Findings findings = check(contractsDir);
        if (!findings.breaking().isEmpty() || !findings.malformed().isEmpty()) {
            throw new IllegalStateException("Not accepting contracts with breaking or malformed changes:\n" + findings);
        }
        var copied = new ArrayList<String>();
        for (String name : contractFiles(contractsDir)) {
            Path source = contractsDir.resolve(name);
            Path target = contractsDir.resolve(BASELINE).resolve(name);
            try {
                if (!Files.exists(target) || Files.mismatch(source, target) >= 0) {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    copied.add(name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copied;
    }

    static String acceptHint() {
        return "if intended, record it with ./mvnw -pl contracts test -Dtest=ContractCompatibilityTest -Dcontracts.accept=true"
                + " and commit contracts/baseline";
    }

    /** Contract files under {@code dir}, as {@code <type>/<file>} with forward slashes, sorted. */
    static List<String> contractFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> CONTRACT_FILE.matcher(name).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
        }
    }
}
