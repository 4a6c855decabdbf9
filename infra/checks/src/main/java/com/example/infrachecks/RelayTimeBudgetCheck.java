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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay's Lambda timeout must hold its safety margin plus one batch (ADR 0015). "One batch" is the longest a
 * full batch can take by the deployed producer settings: {@code max.block.ms} (a send without metadata) plus
 * {@code delivery.timeout.ms} (the acknowledgement wait). With these values as deployed (Terraform's environment
 * variables, resolved through module arguments and variable defaults; the relay's application.yml default where
 * Terraform sets none):
 * <ul>
 *   <li>timeout ≥ safety margin + one batch: an invocation started with its full timeout claims at least one full
 *       batch before it enters the short-time regime;</li>
 *   <li>safety margin &gt; one batch: above the margin a batch never needs its acknowledgement wait cut;</li>
 *   <li>minimum time budget &lt; safety margin, and ≥ {@code max.block.ms} (what no deadline can cut short);</li>
 *   <li>claim hold limit &gt; one batch: a claim outlives every send still retrying inside the producer.</li>
 * </ul>
 * A value that cannot be resolved statically is a finding too: the check never passes by not looking.
 */
public final class RelayTimeBudgetCheck {

    static final String RELAY_HANDLER = "com.example.relay.OutboxRelayFunction";
    /** Lambda's timeout when {@code timeout} is not set. */
    static final int LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

    private static final Pattern WHOLE_VAR = Pattern.compile("^\\$\\{var\\.([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+)*)}$");
    private static final Pattern ANY_INTERPOLATION = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern YML_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");

    private RelayTimeBudgetCheck() {
    }

    /** The deployed time settings of the relay, resolved to values. */
    record Budget(Duration timeout, Duration safetyMargin, Duration minimumBudget, Duration maxBlock,
                  Duration deliveryTimeout, Duration claimHoldLimit) {

        Duration oneBatch() {
            return maxBlock.plus(deliveryTimeout);
        }
    }

    public static List<String> findings(TerraformFiles terraform, Path repoRoot) throws IOException {
        return findings(terraform, repoRoot, new ArrayList<>());
    }

    /** The relay functions' resolved settings, empty where they could not be resolved (see {@link #findings}). */
    static List<Optional<Budget>> budgets(TerraformFiles terraform, Path repoRoot) throws IOException {
        List<Optional<Budget>> budgets = new ArrayList<>();
        findings(terraform, repoRoot, budgets);
        return budgets;
    }

    private static List<String> findings(TerraformFiles terraform, Path repoRoot, List<Optional<Budget>> budgets)
            throws IOException {
        List<String> findings = new ArrayList<>();
        List<TerraformFiles.Resource> relays = terraform.resources("aws_lambda_function").stream()
                .filter(r -> RELAY_HANDLER.equals(r.body().path("handler").asText()))
                .toList();
        if (relays.isEmpty()) {
            findings.add(terraform.dir() + ": no aws_lambda_function with handler " + RELAY_HANDLER + ", nothing to check");
        }
        for (TerraformFiles.Resource relay : relays) {
            String where = relay.address() + ": ";
            List<String> problems = new ArrayList<>();
            Optional<Budget> budget = budgetOf(terraform, relay, repoRoot, problems);
            budgets.add(budget);
            problems.forEach(p -> findings.add(where + p));
            budget.ifPresent(b -> rules(b).forEach(p -> findings.add(where + p)));
        }
        return findings;
    }

    static List<String> rules(Budget b) {
        List<String> broken = new ArrayList<>();
        String oneBatch = "one batch (max.block.ms " + b.maxBlock().toMillis() + " ms + delivery.timeout.ms "
                + b.deliveryTimeout().toMillis() + " ms = " + b.oneBatch().toMillis() + " ms)";
        if (b.timeout().compareTo(b.safetyMargin().plus(b.oneBatch())) < 0) {
            broken.add("timeout " + b.timeout().toSeconds() + " s cannot hold the safety margin ("
                    + b.safetyMargin().toMillis() + " ms) plus " + oneBatch);
        }
        if (b.safetyMargin().compareTo(b.oneBatch()) <= 0) {
            broken.add("RELAY_SAFETY_MARGIN (" + b.safetyMargin().toMillis() + " ms) must exceed " + oneBatch);
        }
        if (b.minimumBudget().compareTo(b.safetyMargin()) >= 0) {
            broken.add("RELAY_MIN_TIME_BUDGET (" + b.minimumBudget().toMillis() + " ms) must be below RELAY_SAFETY_MARGIN ("
                    + b.safetyMargin().toMillis() + " ms)");
        }
        if (b.minimumBudget().compareTo(b.maxBlock()) < 0) {
            broken.add("RELAY_MIN_TIME_BUDGET (" + b.minimumBudget().toMillis() + " ms) must cover max.block.ms ("
                    + b.maxBlock().toMillis() + " ms)");
        }
        if (b.claimHoldLimit().compareTo(b.oneBatch()) <= 0) {
            broken.add("RELAY_CLAIM_HOLD_LIMIT (" + b.claimHoldLimit().toMillis() + " ms) must exceed " + oneBatch);
        }
        return broken;
    }

    private static Optional<Budget> budgetOf(TerraformFiles terraform, TerraformFiles.Resource relay, Path repoRoot,
            List<String> problems) throws IOException {
        String moduleDir = moduleDir(relay);
        var values = Values.of(terraform, relay, repoRoot, problems);
        JsonNode timeoutNode = relay.body().path("timeout");
        Optional<Duration> timeout = timeoutNode.isMissingNode()
                ? Optional.of(Duration.ofSeconds(LAMBDA_DEFAULT_TIMEOUT_SECONDS))
                : resolve(terraform, moduleDir, timeoutNode, problems, "timeout").flatMap(s -> seconds(s, "timeout", problems));
        Optional<Duration> margin = values.duration("RELAY_SAFETY_MARGIN");
        Optional<Duration> minimum = values.duration("RELAY_MIN_TIME_BUDGET");
        Optional<Duration> maxBlock = values.millis("RELAY_KAFKA_MAX_BLOCK_MS");
        Optional<Duration> delivery = values.millis("RELAY_KAFKA_DELIVERY_TIMEOUT_MS");
        Optional<Duration> hold = values.duration("RELAY_CLAIM_HOLD_LIMIT");
        if (timeout.isEmpty() || margin.isEmpty() || minimum.isEmpty() || maxBlock.isEmpty() || delivery.isEmpty()
                || hold.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Budget(timeout.get(), margin.get(), minimum.get(), maxBlock.get(), delivery.get(), hold.get()));
    }

    private static String moduleDir(TerraformFiles.Resource function) {
        return function.file().contains("/") ? function.file().substring(0, function.file().lastIndexOf('/')) : ".";
    }

    /** An environment variable's deployed value: Terraform's, else the application.yml default. */
    record Values(TerraformFiles terraform, String moduleDir, JsonNode environment,
                  Map<String, String> ymlDefaults, List<String> problems) {

        /** The environment of {@code function}, with the defaults of the application.yml in its artifact's module. */
        static Values of(TerraformFiles terraform, TerraformFiles.Resource function, Path repoRoot, List<String> problems)
                throws IOException {
            Map<String, String> ymlDefaults = Map.of();
            Optional<String> artifact = LambdaDeclaration.of(function).artifact();
            if (artifact.isPresent()) {
                Path yml = repoRoot.resolve(Path.of(artifact.get()).getName(0)).resolve("src/main/resources/application.yml");
                if (Files.isRegularFile(yml)) {
                    ymlDefaults = RelayTimeBudgetCheck.ymlDefaults(yml);
                }
            }
            return new Values(terraform, RelayTimeBudgetCheck.moduleDir(function), function.body().path("environment").path(0).path("variables"),
                    ymlDefaults, problems);
        }

        Optional<String> raw(String name) {
            JsonNode node = environment.path(name);
            if (!node.isMissingNode()) {
                return resolve(terraform, moduleDir, node, problems, name);
            }
            String fallback = ymlDefaults.get(name);
            if (fallback == null) {
                problems.add(name + " is set neither by Terraform nor by a default in application.yml");
            }
            return Optional.ofNullable(fallback);
        }

        Optional<Duration> duration(String name) {
            return raw(name).flatMap(v -> {
                Optional<Duration> d = parseDuration(v);
                if (d.isEmpty()) {
                    problems.add(name + " = \"" + v + "\" is not a duration like 30s, 500ms, 5m");
                }
                return d;
            });
        }

        Optional<Duration> millis(String name) {
            return raw(name).flatMap(v -> {
                try {
                    return Optional.of(Duration.ofMillis(Long.parseLong(v.trim())));
                } catch (NumberFormatException e) {
                    problems.add(name + " = \"" + v + "\" is not a number of milliseconds");
                    return Optional.empty();
                }
            });
        }
    }

    /** {@code NAME -> default} of every {@code ${NAME:default}} placeholder (ApplicationYml lists the names). */
    static Map<String, String> ymlDefaults(Path yml) throws IOException {
        ApplicationYml.environmentVariables(yml); // fails loudly on a broken yml
        Map<String, String> defaults = new java.util.TreeMap<>();
        Matcher m = YML_DEFAULT.matcher(Files.readString(yml));
        while (m.find()) {
            defaults.put(m.group(1), m.group(2).replace("`", ""));
        }
        return defaults;
    }

    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            try {
                return Optional.of(Duration.parse(text.trim()));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    private static Optional<Duration> seconds(String value, String what, List<String> problems) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            problems.add(what + " = \"" + value + "\" is not a whole number of seconds");
            return Optional.empty();
        }
    }

    /**
     * A Terraform value as text: literals as they are; {@code ${var.a.b}} through the module's caller (the argument
     * {@code a} of the {@code module} block whose source is this module, else the variable's default), down to the root
     * module's variable defaults; a string template whose interpolations all resolve. Anything else is a problem.
     */
    static Optional<String> resolve(TerraformFiles terraform, String moduleDir, JsonNode node, List<String> problems,
            String what) {
        if (node.isNumber() || node.isBoolean()) {
            return Optional.of(node.asText());
        }
        if (!node.isTextual()) {
            problems.add(what + " cannot be resolved statically: " + node);
            return Optional.empty();
        }
        String text = node.asText();
        Matcher whole = WHOLE_VAR.matcher(text);
        if (whole.matches()) {
            Optional<JsonNode> value = variable(terraform, moduleDir, whole.group(1), whole.group(2), problems, what);
            return value.flatMap(v -> resolve(terraform, callerOf(moduleDir), v, problems, what));
        }
        Matcher parts = ANY_INTERPOLATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (parts.find()) {
            if (!WHOLE_VAR.matcher(parts.group()).matches()) {
                problems.add(what + " cannot be resolved statically: " + text + " (only var references and literals can)");
                return Optional.empty();
            }
            Optional<String> part = resolve(terraform, moduleDir,
                    TextNode.valueOf("${" + parts.group(1) + "}"), problems, what);
            if (part.isEmpty()) {
                return Optional.empty();
            }
            parts.appendReplacement(out, Matcher.quoteReplacement(part.get()));
        }
        parts.appendTail(out);
        return Optional.of(out.toString());
    }

    /**
     * The node a variable reference stands for, still to be resolved in the caller's scope ({@link #callerOf}): the
     * calling module block's argument, or the variable's default (which is a literal).
     */
    private static Optional<JsonNode> variable(TerraformFiles terraform, String moduleDir, String name, String path,
            List<String> problems, String what) {
        Optional<JsonNode> argument = ".".equals(moduleDir) ? Optional.empty() : moduleCall(terraform, moduleDir)
                .map(call -> call.path(name)).filter(n -> !n.isMissingNode());
        JsonNode value = argument.orElseGet(() -> variableDefault(terraform, moduleDir, name));
        if (value == null || value.isMissingNode()) {
            problems.add(what + ": var." + name + " in " + moduleDir + " has no value (no module argument, no default)");
            return Optional.empty();
        }
        for (String field : path.isEmpty() ? new String[0] : path.substring(1).split("\\.")) {
            if (value.isTextual() && value.asText().startsWith("${")) {
                problems.add(what + ": var." + name + path + " passes through an expression that is not an object literal: " + value);
                return Optional.empty();
            }
            value = value.path(field);
            if (value.isMissingNode()) {
                problems.add(what + ": var." + name + path + " has no field " + field);
                return Optional.empty();
            }
        }
        return Optional.of(value);
    }

    /** Where a value found while resolving in {@code moduleDir} must be resolved next: its caller, or the root. */
    private static String callerOf(String moduleDir) {
        // Modules here are called from the root module only (ModuleWiringCheck knows the same layout).
        return ".";
    }

    private static Optional<JsonNode> moduleCall(TerraformFiles terraform, String moduleDir) {
        for (Map.Entry<String, JsonNode> file : terraform.parsed().entrySet()) {
            if (file.getKey().contains("/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = file.getValue().path("module").fields(); it.hasNext(); ) {
                for (JsonNode call : it.next().getValue()) {
                    String source = call.path("source").asText().replaceFirst("^\\./", "");
                    if (source.equals(moduleDir)) {
                        return Optional.of(call);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static JsonNode variableDefault(TerraformFiles terraform, String moduleDir, String name) {
        for (Map.Entry<String, JsonNode> file : terraform.parsed().entrySet()) {
            String dir = file.getKey().contains("/") ? file.getKey().substring(0, file.getKey().lastIndexOf('/')) : ".";
            if (!dir.equals(moduleDir)) {
                continue;
            }
            JsonNode declared = file.getValue().path("variable").path(name);
            if (declared.isArray() && !declared.isEmpty()) {
                return declared.get(0).path("default");
            }
        }
        return null;
    }
}
