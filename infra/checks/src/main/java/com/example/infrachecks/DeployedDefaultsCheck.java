package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's defaults are the values Terraform deploys: for every environment variable an
 * {@code aws_lambda_function} sets to a value known before apply (a literal, or {@code var.*} references resolved
 * through the module call to the root variables' defaults, also inside {@code tostring(...)} and string templates),
 * the {@code ${NAME:default}} of the function's application.yml must be the same value. Durations compare by length
 * ({@code 60s} equals {@code 1m}), everything else as text.
 *
 * <p>Why: application.yml holds the functions' only defaults (ADR 0018), and the local runtime and the tests run the
 * jars with them (the guide: "same defaults Terraform deploys"). A value that is known only at apply time (database
 * URL, brokers, ARNs) is deployment-specific and not compared; {@link #compared} lists what was.
 */
public final class DeployedDefaultsCheck {

    private static final Pattern TOSTRING = Pattern.compile("^\\$\\{tostring\\((var\\.[A-Za-z0-9_.]+)\\)}$");

    private DeployedDefaultsCheck() {
    }

    /** One compared variable: its Terraform value and its application.yml default. */
    record Comparison(String function, String variable, String deployed, String ymlDefault) {

        boolean agrees() {
            Optional<Duration> a = RelayTimeBudgetCheck.parseDuration(deployed);
            Optional<Duration> b = RelayTimeBudgetCheck.parseDuration(ymlDefault);
            if (a.isPresent() && b.isPresent()) {
                return a.get().equals(b.get());
            }
            return deployed.trim().equals(ymlDefault.trim());
        }
    }

    public static List<String> findings(TerraformFiles terraform, Path repoRoot) throws IOException {
        List<String> findings = new ArrayList<>();
        for (Comparison c : compared(terraform, repoRoot)) {
            if (!c.agrees()) {
                findings.add(c.function() + ": Terraform deploys " + c.variable() + " = \"" + c.deployed()
                        + "\" but the application.yml default is \"" + c.ymlDefault() + "\": the local runtime and the"
                        + " tests would not run what AWS runs (change one of them)");
            }
        }
        return findings;
    }

    /** Every variable whose Terraform value is known before apply and which has an application.yml default. */
    static List<Comparison> compared(TerraformFiles terraform, Path repoRoot) throws IOException {
        List<Comparison> comparisons = new ArrayList<>();
        for (TerraformFiles.Resource resource : terraform.resources("aws_lambda_function")) {
            Optional<String> artifact = LambdaDeclaration.of(resource).artifact();
            if (artifact.isEmpty()) {
                continue; // InfraDriftCheck reports it
            }
            Path yml = repoRoot.resolve(Path.of(artifact.get()).getName(0)).resolve("src/main/resources/application.yml");
            if (!Files.isRegularFile(yml)) {
                continue; // InfraDriftCheck reports it
            }
            Map<String, String> defaults = RelayTimeBudgetCheck.ymlDefaults(yml);
            String moduleDir = resource.file().contains("/")
                    ? resource.file().substring(0, resource.file().lastIndexOf('/')) : ".";
            JsonNode variables = resource.body().path("environment").path(0).path("variables");
            for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> variable = it.next();
                String ymlDefault = defaults.get(variable.getKey());
                if (ymlDefault == null) {
                    continue;
                }
                deployedValue(terraform, moduleDir, variable.getValue(), variable.getKey()).ifPresent(deployed ->
                        comparisons.add(new Comparison(resource.address(), variable.getKey(), deployed, ymlDefault)));
            }
        }
        return comparisons;
    }

    /** The value as Terraform will set it, if it is known before apply; empty otherwise (not an error here). */
    private static Optional<String> deployedValue(TerraformFiles terraform, String moduleDir, JsonNode node, String name) {
        JsonNode value = node;
        if (node.isTextual()) {
            Matcher tostring = TOSTRING.matcher(node.asText());
            if (tostring.matches()) {
                value = TextNode.valueOf("${" + tostring.group(1) + "}");
            }
        }
        // Unresolvable values (module outputs, resource attributes, locals) are deployment-specific: not compared.
        return RelayTimeBudgetCheck.resolve(terraform, moduleDir, value, new ArrayList<>(), name);
    }

    /** For messages: the compared variables per function. */
    static Map<String, List<String>> comparedNames(TerraformFiles terraform, Path repoRoot) throws IOException {
        Map<String, List<String>> names = new TreeMap<>();
        for (Comparison c : compared(terraform, repoRoot)) {
            names.computeIfAbsent(c.function(), f -> new ArrayList<>()).add(c.variable());
        }
        return names;
    }
}
