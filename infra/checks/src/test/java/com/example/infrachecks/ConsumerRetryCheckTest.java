package com.example.infrachecks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order.cancelled mapping retries as often as the API allows and the functions module refuses anything else
 * (ADR 0045): true of the real Terraform, false of fixtures that break it.
 */
class ConsumerRetryCheckTest {

    static final String REQUIRED = "var.consumer.maximum_retry_attempts == 10000";

    @TempDir
    Path tmp;

    @Test
    void theDeployedMappingRetriesAsOftenAsTheApiAllows() throws IOException {
        TerraformFiles terraform = TerraformFiles.parse(DeployedTerraformTest.REPO_ROOT.resolve("infra/terraform"));
        assertEquals(List.of(), ConsumerRetryCheck.findings(terraform));
    }

    @Test
    void theRequiredValidationAndValuePass() throws IOException {
        assertEquals(List.of(), findings("10000", REQUIRED, true));
    }

    @Test
    void theEarlierValidationAcceptedZeroRetries() throws IOException {
        List<String> findings = findings("10000",
                "var.consumer.maximum_retry_attempts >= 0 && var.consumer.maximum_retry_attempts <= 10000", true);
        assertTrue(findings.stream().anyMatch(f -> f.contains("accept maximum_retry_attempts = 0;")), findings.toString());
        assertTrue(findings.stream().noneMatch(f -> f.contains("= -1;")), "-1 was refused: " + findings);
    }

    @Test
    void atLeastOneRetryIsNotEnough() throws IOException {
        List<String> findings = findings("10000",
                "var.consumer.maximum_retry_attempts >= 1 && var.consumer.maximum_retry_attempts <= 10000", true);
        assertTrue(findings.stream().anyMatch(f -> f.contains("accept maximum_retry_attempts = 1;")), findings.toString());
        assertTrue(findings.stream().noneMatch(f -> f.contains("= 0;")), "0 was refused: " + findings);
    }

    @Test
    void aDeployedValueBelowTheMaximumIsAFinding() throws IOException {
        List<String> findings = findings("100", REQUIRED, true);
        assertTrue(findings.stream().anyMatch(f -> f.contains("maximum_retry_attempts is 100, not 10000")), findings.toString());
    }

    @Test
    void aMappingWithoutRetriesIsAFinding() throws IOException {
        List<String> findings = findings("10000", REQUIRED, false);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("maximum_retry_attempts is not set"), findings.toString());
    }

    @Test
    void aConditionThatCannotBeEvaluatedIsAFindingNotAPass() throws IOException {
        List<String> findings = findings("10000", "contains([10000], var.consumer.maximum_retry_attempts)", true);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("cannot evaluate"), findings.toString());
    }

    @Test
    void conditionsEvaluateLikeTerraform() {
        assertTrue(ConsumerRetryCheck.Condition.holds("!(var.consumer.maximum_retry_attempts < 5) || false", 5));
        assertFalse(ConsumerRetryCheck.Condition.holds("var.consumer.maximum_retry_attempts != -1 && true", -1));
        assertTrue(ConsumerRetryCheck.Condition.holds("(var.consumer.maximum_retry_attempts >= 0) == true", 0));
        assertThrows(IllegalArgumentException.class, () -> ConsumerRetryCheck.Condition.holds("var.other > 1", 1));
        assertThrows(IllegalArgumentException.class, () -> ConsumerRetryCheck.Condition.holds("var.consumer.maximum_retry_attempts", 1));
    }

    private List<String> findings(String deployed, String condition, boolean mappingSetsRetries) throws IOException {
        Path functions = Files.createDirectories(tmp.resolve("infra/modules/functions"));
        Files.writeString(tmp.resolve("infra/main.tf"), """
                module "functions" {
                  source   = "./modules/functions"
                  consumer = { maximum_retry_attempts = %s }
                }
                """.formatted(deployed));
        Files.writeString(functions.resolve("variables.tf"), """
                variable "consumer" {
                  type = object({ maximum_retry_attempts = number })
                  validation {
                    condition     = %s
                    error_message = "retries"
                  }
                }
                """.formatted(condition));
        Files.writeString(functions.resolve("event_source.tf"), """
                resource "aws_lambda_event_source_mapping" "order_cancelled" {
                  function_name = aws_lambda_alias.cancel_consumer.arn
                  %s
                }
                """.formatted(mappingSetsRetries ? "maximum_retry_attempts = var.consumer.maximum_retry_attempts" : ""));
        return ConsumerRetryCheck.findings(TerraformFiles.parse(tmp.resolve("infra")));
    }
}
