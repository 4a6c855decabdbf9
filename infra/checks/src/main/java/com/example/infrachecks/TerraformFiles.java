package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code .tf} file below one directory, parsed by HashiCorp's HCL parser ({@code @cdktf/hcl2json}, run with node).
 * A file that does not parse is kept in {@link #parseErrors()} rather than thrown, so one run reports all of them.
 *
 * @param dir         the directory that was scanned
 * @param parsed      path relative to {@code dir} -> the hcl2json document (blocks become arrays of objects)
 * @param parseErrors path relative to {@code dir} -> the parser's message
 */
public record TerraformFiles(Path dir, Map<String, JsonNode> parsed, Map<String, String> parseErrors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses with the node executable and script named by system properties {@code node.executable} and {@code hcl.parser.script}. */
    public static TerraformFiles parse(Path dir) throws IOException {
        return parse(dir, System.getProperty("node.executable", "node"), Path.of(requiredProperty("hcl.parser.script")));
    }

    public static TerraformFiles parse(Path dir, String nodeExecutable, Path parserScript) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        Path stdout = Files.createTempFile("hcl2json", ".json");
        Path stderr = Files.createTempFile("hcl2json", ".err");
        try {
            Process process = new ProcessBuilder(nodeExecutable, parserScript.toString(), dir.toString())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("HCL parser did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("HCL parser failed (exit " + process.exitValue() + "): "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            JsonNode files = JSON.readTree(stdout.toFile()).path("files");
            Map<String, JsonNode> parsed = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> file = it.next();
                if (file.getValue().has("error")) {
                    errors.put(file.getKey(), file.getValue().get("error").asText());
                } else {
                    parsed.put(file.getKey(), file.getValue().get("json"));
                }
            }
            return new TerraformFiles(dir, parsed, errors);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while parsing " + dir, e);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Every {@code resource "<type>" "<name>"} block of the given type, across all files. */
    public List<Resource> resources(String type) {
        List<Resource> found = new ArrayList<>();
        parsed.forEach((file, json) -> {
            JsonNode byName = json.path("resource").path(type);
            for (Iterator<Map.Entry<String, JsonNode>> it = byName.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> named = it.next();
                for (JsonNode body : named.getValue()) {
                    found.add(new Resource(file, type, named.getKey(), body));
                }
            }
        });
        return found;
    }

    /** One resource block: where it is and its body as hcl2json renders it. */
    public record Resource(String file, String type, String name, JsonNode body) {
        public String address() {
            return file + ": " + type + "." + name;
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (the Maven build sets it)");
        }
        return value;
    }
}
