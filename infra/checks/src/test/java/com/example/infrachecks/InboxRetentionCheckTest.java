package com.example.infrachecks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's inbox outlives every redelivery of {@code order.cancelled} (ADR 0026): true of the real
 * {@code infra/terraform}, and each rule fails on a fixture that breaks it.
 */
class InboxRetentionCheckTest {

    @TempDir
    Path tmp;

    static final String YML = """
            cancel-consumer:
              inbox-retention:
                age: ${CANCEL_INBOX_RETENTION_AGE:30d}
                dedupe-horizon: ${CANCEL_INBOX_DEDUPE_HORIZON:%s}
            """;

    @Test
    void theDeployedConsumerForgetsEntriesOnlyAfterTheTopicsRetention() throws IOException {
        TerraformFiles terraform = TerraformFiles.parse(DeployedTerraformTest.REPO_ROOT.resolve("infra/terraform"));
        List<String> findings = InboxRetentionCheck.findings(terraform, DeployedTerraformTest.REPO_ROOT);
        assertTrue(findings.isEmpty(), "inbox retention:\n  " + String.join("\n  ", findings));
        // Not vacuous: both places that give the topic its retention were read.
        List<String> problems = new ArrayList<>();
        assertEquals(Map.of("modules/kafka var.topics", Duration.ofDays(7), "scripts/create-topics.sh", Duration.ofDays(7)),
                InboxRetentionCheck.topicRetentions(terraform, problems));
        assertEquals(List.of(), problems);
    }

    @Test
    void fixtureWithTheDeployedValuesPasses() throws IOException {
        assertEquals(List.of(), findings("30d", "7d", "7d", 604800000L, 604800000L));
    }

    @Test
    void aHorizonShorterThanTheTopicsRetentionFails() throws IOException {
        List<String> findings = findings("30d", "7d", "7d", 1209600000L, 604800000L);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("CANCEL_INBOX_DEDUPE_HORIZON (604800000 ms) is shorter than order.cancelled's"
                + " retention.ms in modules/kafka var.topics (1209600000 ms)"), findings.toString());
        findings = findings("30d", "7d", "7d", 604800000L, 1209600000L);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("scripts/create-topics.sh"), findings.toString());
    }

    @Test
    void anAgeThatDoesNotExceedTheHorizonFails() throws IOException {
        List<String> findings = findings("7d", "7d", "7d", 604800000L, 604800000L);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("CANCEL_INBOX_RETENTION_AGE (604800000 ms) must exceed"
                + " CANCEL_INBOX_DEDUPE_HORIZON (604800000 ms)"), findings.toString());
    }

    @Test
    void theHorizonFallsBackToTheApplicationYmlDefault() throws IOException {
        List<String> findings = findings("30d", null, "1d", 604800000L, 604800000L);
        assertEquals(2, findings.size(), findings.toString());
        assertTrue(findings.stream().allMatch(f -> f.contains("CANCEL_INBOX_DEDUPE_HORIZON (86400000 ms) is shorter")),
                findings.toString());
    }

    @Test
    void noConsumerFunctionIsAFinding() throws IOException {
        writeFixture("30d", "7d", "7d", 604800000L, 604800000L);
        Path module = tmp.resolve("infra/modules/functions/main.tf");
        Files.writeString(module, Files.readString(module).replace(InboxRetentionCheck.CONSUMER_HANDLER, "x.Other"));
        List<String> findings = InboxRetentionCheck.findings(TerraformFiles.parse(tmp.resolve("infra")), tmp);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("nothing to check"), findings.toString());
    }

    private List<String> findings(String age, String horizon, String ymlHorizon, long moduleRetentionMs,
            long scriptRetentionMs) throws IOException {
        writeFixture(age, horizon, ymlHorizon, moduleRetentionMs, scriptRetentionMs);
        return InboxRetentionCheck.findings(TerraformFiles.parse(tmp.resolve("infra")), tmp);
    }

    /** Shaped like the real deployment: a kafka module with topic defaults, the topic script, the consumer function. */
    private void writeFixture(String age, String horizon, String ymlHorizon, long moduleRetentionMs,
            long scriptRetentionMs) throws IOException {
        Files.createDirectories(tmp.resolve("infra/modules/functions"));
        Files.createDirectories(tmp.resolve("infra/modules/kafka"));
        Files.createDirectories(tmp.resolve("infra/scripts"));
        Files.createDirectories(tmp.resolve("consumer-fn/src/main/resources"));
        Files.writeString(tmp.resolve("consumer-fn/src/main/resources/application.yml"), YML.formatted(ymlHorizon));
        Files.writeString(tmp.resolve("infra/main.tf"), """
                module "kafka" {
                  source = "./modules/kafka"
                }
                module "functions" {
                  source    = "./modules/functions"
                  repo_root = "/repo"
                }
                """);
        Files.writeString(tmp.resolve("infra/modules/kafka/variables.tf"), """
                variable "topics" {
                  type = map(object({ partitions = number, retention_ms = number }))
                  default = {
                    "order.created"   = { partitions = 6, retention_ms = 604800000 }
                    "order.cancelled" = { partitions = 6, retention_ms = %d }
                  }
                }
                """.formatted(moduleRetentionMs));
        Files.writeString(tmp.resolve("infra/scripts/create-topics.sh"), """
                create order.created 6 604800000
                create order.cancelled 6 %d
                """.formatted(scriptRetentionMs));
        Files.writeString(tmp.resolve("infra/modules/functions/variables.tf"), """
                variable "repo_root" {
                  type = string
                }
                """);
        Files.writeString(tmp.resolve("infra/modules/functions/main.tf"), """
                resource "aws_lambda_function" "cancel" {
                  function_name = "cancel"
                  handler       = "%s"
                  filename      = "${var.repo_root}/consumer-fn/target/consumer-fn.jar"

                  environment {
                    variables = {
                      CANCEL_INBOX_RETENTION_AGE = "%s"
                      %s
                    }
                  }
                }
                """.formatted(InboxRetentionCheck.CONSUMER_HANDLER, age,
                horizon == null ? "" : "CANCEL_INBOX_DEDUPE_HORIZON = \"" + horizon + "\""));
    }
}
