package com.example.infrachecks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's timeout must hold its safety margin plus one batch: true of the real {@code infra/terraform}, and
 * each rule fails on a fixture that breaks it.
 */
class RelayTimeBudgetCheckTest {

    @TempDir
    Path tmp;

    static final String YML = """
            relay:
              safety-margin: ${RELAY_SAFETY_MARGIN:30s}
              min-time-budget: ${RELAY_MIN_TIME_BUDGET:5s}
              claim-hold-limit: ${RELAY_CLAIM_HOLD_LIMIT:60s}
              producer:
                delivery-timeout-ms: ${RELAY_KAFKA_DELIVERY_TIMEOUT_MS:20000}
                max-block-ms: ${RELAY_KAFKA_MAX_BLOCK_MS:%s}
            """;

    @Test
    void theDeployedRelayHoldsItsMarginPlusOneBatch() throws IOException {
        TerraformFiles terraform = TerraformFiles.parse(DeployedTerraformTest.REPO_ROOT.resolve("infra/terraform"));
        List<String> findings = RelayTimeBudgetCheck.findings(terraform, DeployedTerraformTest.REPO_ROOT);
        assertTrue(findings.isEmpty(), "relay time budget:\n  " + String.join("\n  ", findings));
        // Not vacuous: the values were resolved through the module call to the root variables' defaults.
        var budget = RelayTimeBudgetCheck.budgets(terraform, DeployedTerraformTest.REPO_ROOT);
        assertEquals(1, budget.size());
        var b = budget.getFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(100), b.timeout());
        assertEquals(Duration.ofSeconds(30), b.safetyMargin());
        assertEquals(Duration.ofSeconds(5), b.minimumBudget());
        assertEquals(Duration.ofMillis(25_000), b.oneBatch());
    }

    @Test
    void fixtureWithTheDeployedValuesPasses() throws IOException {
        assertEquals(List.of(), findings(100, 30, "5000"));
        var b = RelayTimeBudgetCheck.budgets(fixture(100, 30, "5000"), tmp).getFirst().orElseThrow();
        assertEquals(Duration.ofMillis(5000), b.maxBlock(), "max.block.ms from the application.yml default");
    }

    @Test
    void aTimeoutThatCannotHoldTheMarginPlusOneBatchFails() throws IOException {
        List<String> findings = findings(40, 30, "5000");
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("timeout 40 s cannot hold the safety margin (30000 ms) plus one batch"
                + " (max.block.ms 5000 ms + delivery.timeout.ms 20000 ms = 25000 ms)"), findings.toString());
    }

    @Test
    void aMarginShorterThanOneBatchFails() throws IOException {
        List<String> findings = findings(100, 20, "5000");
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("RELAY_SAFETY_MARGIN (20000 ms) must exceed one batch"), findings.toString());
    }

    @Test
    void aLongerMaxBlockFromTheYmlDefaultCountsInOneBatchAndTheMinimumBudget() throws IOException {
        List<String> findings = findings(50, 30, "10000");
        assertEquals(3, findings.size(), findings.toString());
        assertTrue(findings.get(0).contains("timeout 50 s cannot hold the safety margin (30000 ms) plus one batch"
                + " (max.block.ms 10000 ms + delivery.timeout.ms 20000 ms = 30000 ms)"), findings.toString());
        assertTrue(findings.get(1).contains("RELAY_SAFETY_MARGIN (30000 ms) must exceed one batch"), findings.toString());
        assertTrue(findings.get(2).contains("RELAY_MIN_TIME_BUDGET (5000 ms) must cover max.block.ms (10000 ms)"),
                findings.toString());
    }

    @Test
    void aTimeoutThatCannotBeResolvedStaticallyIsAFindingNotAPass() throws IOException {
        writeFixture(100, 30, "5000");
        Path module = tmp.resolve("infra/modules/functions/main.tf");
        Files.writeString(module, Files.readString(module).replace("var.relay.timeout_seconds", "local.relay_timeout"));
        List<String> findings = RelayTimeBudgetCheck.findings(TerraformFiles.parse(tmp.resolve("infra")), tmp);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("timeout cannot be resolved statically: ${local.relay_timeout}"),
                findings.toString());
    }

    @Test
    void noRelayFunctionIsAFinding() throws IOException {
        writeFixture(100, 30, "5000");
        Path module = tmp.resolve("infra/modules/functions/main.tf");
        Files.writeString(module, Files.readString(module).replace("com.example.relay.OutboxRelayFunction", "x.Other"));
        List<String> findings = RelayTimeBudgetCheck.findings(TerraformFiles.parse(tmp.resolve("infra")), tmp);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("nothing to check"), findings.toString());
    }

    @Test
    void durationsAreReadLikeMicronautReadsThem() {
        assertEquals(Optional.of(Duration.ofMillis(500)), RelayTimeBudgetCheck.parseDuration("500ms"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RelayTimeBudgetCheck.parseDuration("30s"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), RelayTimeBudgetCheck.parseDuration("5m"));
        assertEquals(Optional.of(Duration.ofDays(7)), RelayTimeBudgetCheck.parseDuration("7d"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RelayTimeBudgetCheck.parseDuration("PT1M30S"));
        assertEquals(Optional.empty(), RelayTimeBudgetCheck.parseDuration("thirty seconds"));
    }

    private List<String> findings(int timeoutSeconds, int marginSeconds, String maxBlockMsDefault) throws IOException {
        return RelayTimeBudgetCheck.findings(fixture(timeoutSeconds, marginSeconds, maxBlockMsDefault), tmp);
    }

    private TerraformFiles fixture(int timeoutSeconds, int marginSeconds, String maxBlockMsDefault) throws IOException {
        writeFixture(timeoutSeconds, marginSeconds, maxBlockMsDefault);
        return TerraformFiles.parse(tmp.resolve("infra"));
    }

    /**
     * Shaped like the real deployment: root variables with defaults, passed in an object to a module whose relay
     * function reads them; RELAY_KAFKA_MAX_BLOCK_MS is left to the application.yml default.
     */
    private void writeFixture(int timeoutSeconds, int marginSeconds, String maxBlockMsDefault) throws IOException {
        Files.createDirectories(tmp.resolve("infra/modules/functions"));
        Files.createDirectories(tmp.resolve("relay-fn/src/main/resources"));
        Files.writeString(tmp.resolve("relay-fn/src/main/resources/application.yml"), YML.formatted(maxBlockMsDefault));
        Files.writeString(tmp.resolve("infra/main.tf"), """
                variable "relay_timeout_seconds" {
                  type    = number
                  default = %d
                }
                variable "relay_safety_margin_seconds" {
                  type    = number
                  default = %d
                }
                module "functions" {
                  source    = "./modules/functions"
                  repo_root = "/repo"
                  relay = {
                    memory_mb             = 1024
                    timeout_seconds       = var.relay_timeout_seconds
                    safety_margin_seconds = var.relay_safety_margin_seconds
                  }
                }
                """.formatted(timeoutSeconds, marginSeconds));
        Files.writeString(tmp.resolve("infra/modules/functions/variables.tf"), """
                variable "repo_root" {
                  type = string
                }
                variable "relay" {
                  type = object({ memory_mb = number, timeout_seconds = number, safety_margin_seconds = number })
                }
                """);
        Files.writeString(tmp.resolve("infra/modules/functions/main.tf"), """
                resource "aws_lambda_function" "relay" {
                  function_name = "relay"
                  handler       = "com.example.relay.OutboxRelayFunction"
                  filename      = "${var.repo_root}/relay-fn/target/relay-fn.jar"
                  memory_size   = var.relay.memory_mb
                  timeout       = var.relay.timeout_seconds

                  environment {
                    variables = {
                      RELAY_SAFETY_MARGIN             = "${var.relay.safety_margin_seconds}s"
                      RELAY_MIN_TIME_BUDGET           = "5s"
                      RELAY_CLAIM_HOLD_LIMIT          = "60s"
                      RELAY_KAFKA_DELIVERY_TIMEOUT_MS = "20000"
                    }
                  }
                }
                """);
    }
}
