package com.example.infrachecks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's time reserve must be below its timeout: true of the real Terraform, false of a fixture that breaks it. */
class ConsumerTimeReserveCheckTest {

    @TempDir
    Path tmp;

    @Test
    void theDeployedConsumerKeepsTimeToWork() throws IOException {
        TerraformFiles terraform = TerraformFiles.parse(DeployedTerraformTest.REPO_ROOT.resolve("infra/terraform"));
        assertEquals(List.of(), ConsumerTimeReserveCheck.findings(terraform, DeployedTerraformTest.REPO_ROOT));
    }

    @Test
    void aReserveBelowTheTimeoutPasses() throws IOException {
        assertEquals(List.of(), findings(60, "\"3000\""));
    }

    @Test
    void aReserveAsLongAsTheTimeoutFails() throws IOException {
        List<String> findings = findings(3, "\"3000\"");
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("CANCEL_TIME_RESERVE_MS (3000 ms) must be below the timeout (3 s)"),
                findings.toString());
    }

    @Test
    void theYmlDefaultCountsWhenTerraformSetsNone() throws IOException {
        List<String> findings = findings(2, null);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("CANCEL_TIME_RESERVE_MS (3000 ms) must be below the timeout (2 s)"),
                findings.toString());
    }

    @Test
    void aReserveThatCannotBeResolvedIsAFindingNotAPass() throws IOException {
        List<String> findings = findings(60, "local.reserve");
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains("cannot be resolved statically"), findings.toString());
    }

    private List<String> findings(int timeoutSeconds, String reserve) throws IOException {
        Files.createDirectories(tmp.resolve("infra"));
        Files.createDirectories(tmp.resolve("consumer-fn/src/main/resources"));
        Files.writeString(tmp.resolve("consumer-fn/src/main/resources/application.yml"),
                "cancel-consumer:\n  time-reserve-ms: ${CANCEL_TIME_RESERVE_MS:3000}\n");
        Files.writeString(tmp.resolve("infra/main.tf"), """
                variable "consumer_timeout_seconds" {
                  default = %d
                }
                resource "aws_lambda_function" "consumer" {
                  handler  = "com.example.cancel.CancelConsumerFunction"
                  filename = "${var.repo_root}/consumer-fn/target/consumer-fn.jar"
                  timeout  = var.consumer_timeout_seconds
                  environment {
                    variables = {
                      %s
                    }
                  }
                }
                """.formatted(timeoutSeconds, reserve == null ? "" : "CANCEL_TIME_RESERVE_MS = " + reserve));
        return ConsumerTimeReserveCheck.findings(TerraformFiles.parse(tmp.resolve("infra")), tmp);
    }
}
