package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reconciliation job is deployed, scheduled and alarmed on what its code emits (ADR 0071):
 * <ul>
 *   <li>exactly one {@code aws_lambda_function} has the job's handler;</li>
 *   <li>an {@code aws_lambda_alias} of that function exists in the same module, an {@code aws_scheduler_schedule}
 *       there targets exactly that alias, and an IAM policy document there allows {@code lambda:InvokeFunction} on
 *       it;</li>
 *   <li>an {@code aws_cloudwatch_metric_alarm} watches the namespace and drift metric that the metrics class in the
 *       function's artifact declares (its public constants {@code NAMESPACE}, {@code DRIFT}, {@code DIMENSION_NAME},
 *       {@code DIMENSION_VALUE}, read from the built jar), with exactly that dimension, and pages on any drift
 *       ({@code GreaterThanThreshold} 0).</li>
 * </ul>
 * The alarm's names are literals in Terraform for this reason. Every finding is a human-readable line.
 */
public final class ReconciliationJobCheck {

    public static final String HANDLER = "com.example.relay.ReconciliationFunction";
    public static final String METRICS_CLASS = "com.example.relay.ReconciliationMetrics";

    private ReconciliationJobCheck() {
    }

    public static List<String> findings(TerraformFiles terraform, Path repoRoot) {
        return findings(terraform, repoRoot, HANDLER, METRICS_CLASS);
    }

    static List<String> findings(TerraformFiles terraform, Path repoRoot, String handler, String metricsClass) {
        List<String> findings = new ArrayList<>();
        List<TerraformFiles.Resource> functions = terraform.resources("aws_lambda_function").stream()
                .filter(r -> handler.equals(r.body().path("handler").asText(null))).toList();
        if (functions.size() != 1) {
            findings.add("expected exactly one aws_lambda_function with handler " + handler + ", found " + functions.size());
            return findings;
        }
        TerraformFiles.Resource function = functions.getFirst();
        String module = directory(function.file());

        // function -> alias -> schedule target, and the scheduler's permission to invoke it
        String functionRef = "${aws_lambda_function." + function.name() + ".function_name}";
        Optional<TerraformFiles.Resource> alias = terraform.resources("aws_lambda_alias").stream()
                .filter(r -> directory(r.file()).equals(module) && functionRef.equals(r.body().path("function_name").asText(null)))
                .findFirst();
        if (alias.isEmpty()) {
            findings.add(function.address() + ": no aws_lambda_alias in " + dirName(module) + " has function_name = " + functionRef);
        } else {
            String aliasArn = "${aws_lambda_alias." + alias.get().name() + ".arn}";
            boolean scheduled = terraform.resources("aws_scheduler_schedule").stream()
                    .filter(r -> directory(r.file()).equals(module))
                    .anyMatch(r -> aliasArn.equals(r.body().path("target").path(0).path("arn").asText(null)));
            if (!scheduled) {
                findings.add(function.address() + ": no aws_scheduler_schedule in " + dirName(module) + " targets " + aliasArn);
            }
            if (!invokePermitted(terraform, module, aliasArn)) {
                findings.add(function.address() + ": no aws_iam_policy_document in " + dirName(module)
                        + " allows lambda:InvokeFunction on " + aliasArn);
            }
        }

        // alarm <- the metric names the built code emits
        Optional<String> artifact = LambdaDeclaration.of(function).artifact();
        if (artifact.isEmpty()) {
            findings.add(function.address() + ": artifact cannot be resolved, so the emitted metric names cannot be read");
            return findings;
        }
        Path jar = repoRoot.resolve(artifact.get()).normalize();
        Map<String, String> names;
        try {
            names = constants(jar, metricsClass);
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            findings.add(function.address() + ": cannot read the metric names " + metricsClass + " declares in "
                    + artifact.get() + ": " + e);
            return findings;
        }
        String namespace = names.get("NAMESPACE");
        String metric = names.get("DRIFT");
        Map<String, String> dimensions = Map.of(names.get("DIMENSION_NAME"), names.get("DIMENSION_VALUE"));
        List<TerraformFiles.Resource> alarms = terraform.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(r -> namespace.equals(r.body().path("namespace").asText(null))
                        && metric.equals(r.body().path("metric_name").asText(null)))
                .toList();
        if (alarms.isEmpty()) {
            findings.add("no aws_cloudwatch_metric_alarm watches " + namespace + " " + metric
                    + ", the drift metric " + metricsClass + " emits");
        }
        for (TerraformFiles.Resource alarm : alarms) {
            Map<String, String> declared = new TreeMap<>();
            JsonNode dims = alarm.body().path("dimensions");
            for (Iterator<Map.Entry<String, JsonNode>> it = dims.fields(); it.hasNext(); ) {
                var e = it.next();
                declared.put(e.getKey(), e.getValue().asText());
            }
            if (!declared.equals(new TreeMap<>(dimensions))) {
                findings.add(alarm.address() + ": dimensions " + (dims.isMissingNode() ? "(none)" : dims.toString())
                        + " but the code emits " + dimensions);
            }
            if (!"GreaterThanThreshold".equals(alarm.body().path("comparison_operator").asText(null))
                    || !alarm.body().path("threshold").isNumber() || alarm.body().path("threshold").asDouble() != 0) {
                findings.add(alarm.address() + ": must page on any drift (comparison_operator = \"GreaterThanThreshold\","
                        + " threshold = 0)");
            }
        }
        return findings;
    }

    private static boolean invokePermitted(TerraformFiles terraform, String module, String aliasArn) {
        for (var file : terraform.parsed().entrySet()) {
            if (!directory(file.getKey()).equals(module)) {
                continue;
            }
            JsonNode documents = file.getValue().path("data").path("aws_iam_policy_document");
            for (Iterator<JsonNode> byName = documents.elements(); byName.hasNext(); ) {
                for (JsonNode document : byName.next()) {
                    for (JsonNode statement : document.path("statement")) {
                        boolean invoke = false;
                        for (JsonNode action : statement.path("actions")) {
                            invoke |= "lambda:InvokeFunction".equals(action.asText());
                        }
                        for (JsonNode resource : statement.path("resources")) {
                            if (invoke && aliasArn.equals(resource.asText())) {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The public static String constants the check needs, from the class as built into the jar. */
    private static Map<String, String> constants(Path jar, String className) throws IOException, ReflectiveOperationException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist (run ./mvnw package)");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(className, false, loader);
            Map<String, String> values = new TreeMap<>();
            for (String field : List.of("NAMESPACE", "DRIFT", "DIMENSION_NAME", "DIMENSION_VALUE")) {
                values.put(field, (String) type.getField(field).get(null));
            }
            return values;
        }
    }

    private static String directory(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    private static String dirName(String module) {
        return module.isEmpty() ? "the root module" : module;
    }
}
