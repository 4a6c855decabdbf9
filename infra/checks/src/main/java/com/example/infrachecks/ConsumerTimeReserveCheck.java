package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cancel consumer stops taking records when less than {@code CANCEL_TIME_RESERVE_MS} of its invocation is left
 * and hands the rest back for redelivery. A reserve at or above the Lambda timeout hands back every record of every
 * batch: the partition never moves and nothing says why. The function cannot see its own timeout (Lambda exposes no
 * such variable), so the rule is checked here, on the deployed values: the consumer's {@code timeout} (resolved like
 * {@link RelayTimeBudgetCheck} does) must exceed the reserve (Terraform's value, else the application.yml default).
 */
public final class ConsumerTimeReserveCheck {

    static final String CONSUMER_HANDLER = "com.example.cancel.CancelConsumerFunction";
    static final String RESERVE = "CANCEL_TIME_RESERVE_MS";

    private ConsumerTimeReserveCheck() {
    }

    public static List<String> findings(TerraformFiles terraform, Path repoRoot) throws IOException {
        List<String> findings = new ArrayList<>();
        List<TerraformFiles.Resource> consumers = terraform.resources("aws_lambda_function").stream()
                .filter(r -> CONSUMER_HANDLER.equals(r.body().path("handler").asText()))
                .toList();
        if (consumers.isEmpty()) {
            findings.add(terraform.dir() + ": no aws_lambda_function with handler " + CONSUMER_HANDLER + ", nothing to check");
        }
        for (TerraformFiles.Resource consumer : consumers) {
            String where = consumer.address() + ": ";
            List<String> problems = new ArrayList<>();
            String moduleDir = consumer.file().contains("/")
                    ? consumer.file().substring(0, consumer.file().lastIndexOf('/')) : ".";
            JsonNode timeoutNode = consumer.body().path("timeout");
            Optional<Long> timeoutSeconds = timeoutNode.isMissingNode()
                    ? Optional.of((long) RelayTimeBudgetCheck.LAMBDA_DEFAULT_TIMEOUT_SECONDS)
                    : RelayTimeBudgetCheck.resolve(terraform, moduleDir, timeoutNode, problems, "timeout")
                            .flatMap(v -> number(v, "timeout", problems));
            Optional<Long> reserveMs = reserve(terraform, consumer, moduleDir, repoRoot, problems);
            problems.forEach(p -> findings.add(where + p));
            if (timeoutSeconds.isPresent() && reserveMs.isPresent() && reserveMs.get() >= timeoutSeconds.get() * 1000) {
                findings.add(where + RESERVE + " (" + reserveMs.get() + " ms) must be below the timeout ("
                        + timeoutSeconds.get() + " s), or every record of every batch is handed back unprocessed");
            }
        }
        return findings;
    }

    private static Optional<Long> reserve(TerraformFiles terraform, TerraformFiles.Resource consumer, String moduleDir,
            Path repoRoot, List<String> problems) throws IOException {
        JsonNode node = consumer.body().path("environment").path(0).path("variables").path(RESERVE);
        if (!node.isMissingNode()) {
            return RelayTimeBudgetCheck.resolve(terraform, moduleDir, node, problems, RESERVE)
                    .flatMap(v -> number(v, RESERVE, problems));
        }
        Optional<String> artifact = LambdaDeclaration.of(consumer).artifact();
        Path yml = artifact.map(a -> repoRoot.resolve(Path.of(a).getName(0)).resolve("src/main/resources/application.yml"))
                .orElse(null);
        Map<String, String> defaults = yml != null && Files.isRegularFile(yml) ? RelayTimeBudgetCheck.ymlDefaults(yml) : Map.of();
        String fallback = defaults.get(RESERVE);
        if (fallback == null) {
            problems.add(RESERVE + " is set neither by Terraform nor by a default in application.yml");
            return Optional.empty();
        }
        return number(fallback, RESERVE, problems);
    }

    private static Optional<Long> number(String value, String what, List<String> problems) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            problems.add(what + " = \"" + value + "\" is not a whole number");
            return Optional.empty();
        }
    }
}
