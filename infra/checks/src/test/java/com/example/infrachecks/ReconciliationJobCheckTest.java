package com.example.infrachecks;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReconciliationJobCheck} on the real Terraform and jar, and on a fixture (handler {@code GoodHandler}, metric
 * names from {@code fixture.DriftMetrics} in the fixture jar) that passes, then breaks one link at a time.
 */
class ReconciliationJobCheckTest {

    static final String HANDLER = FixtureRepository.HANDLER;
    static final String METRICS = "com.example.infrachecks.fixture.DriftMetrics";

    static final String JOB = """
            resource "aws_lambda_alias" "job" {
              name             = "live"
              function_name    = aws_lambda_function.fn_a.function_name
              function_version = aws_lambda_function.fn_a.version
            }

            data "aws_iam_policy_document" "scheduler" {
              statement {
                actions   = ["lambda:InvokeFunction"]
                resources = [aws_lambda_alias.job.arn]
              }
            }

            resource "aws_scheduler_schedule" "job" {
              name                = "job"
              schedule_expression = "rate(5 minutes)"
              flexible_time_window {
                mode = "OFF"
              }
              target {
                arn      = aws_lambda_alias.job.arn
                role_arn = "arn:aws:iam::123456789012:role/scheduler"
                input    = jsonencode({ source = "scheduler" })
              }
            }

            resource "aws_cloudwatch_metric_alarm" "drift" {
              alarm_name          = "drift"
              namespace           = "Fixture/Reconciliation"
              metric_name         = "Drift"
              dimensions          = { Service = "fixture-reconciliation" }
              statistic           = "Maximum"
              period              = 900
              evaluation_periods  = 1
              comparison_operator = "GreaterThanThreshold"
              threshold           = 0
            }
            """;

    @TempDir
    Path tmp;

    FixtureRepository repo;

    @BeforeEach
    void createFixture() throws IOException {
        repo = new FixtureRepository(tmp);
    }

    @Test
    void realTerraformSchedulesAndAlarmsOnWhatTheBuiltJobEmits() throws IOException {
        List<String> findings = ReconciliationJobCheck.findings(
                TerraformFiles.parse(DeployedTerraformTest.REPO_ROOT.resolve("infra/terraform")), DeployedTerraformTest.REPO_ROOT);
        assertEquals(List.of(), findings);
    }

    @Test
    void fixtureWithoutDriftHasNoFindings() throws IOException {
        assertEquals(List.of(), findings(JOB));
    }

    @Test
    void alarmOnAnotherMetricNameIsReported() throws IOException {
        assertSingle(findings(JOB.replace("metric_name         = \"Drift\"", "metric_name         = \"DriftFindings\"")),
                "no aws_cloudwatch_metric_alarm watches Fixture/Reconciliation Drift");
    }

    @Test
    void alarmInAnotherNamespaceIsReported() throws IOException {
        assertSingle(findings(JOB.replace("\"Fixture/Reconciliation\"", "\"Fixture/Relay\"")), "no aws_cloudwatch_metric_alarm watches");
    }

    @Test
    void alarmOnOtherDimensionsIsReported() throws IOException {
        assertSingle(findings(JOB.replace("Service = \"fixture-reconciliation\"", "Service = \"outbox-relay\"")),
                "but the code emits {Service=fixture-reconciliation}");
        assertSingle(findings(JOB.replace("  dimensions          = { Service = \"fixture-reconciliation\" }\n", "")),
                "dimensions (none)");
    }

    @Test
    void alarmThatToleratesSomeDriftIsReported() throws IOException {
        assertSingle(findings(JOB.replace("threshold           = 0", "threshold           = 5")), "must page on any drift");
        assertSingle(findings(JOB.replace("\"GreaterThanThreshold\"", "\"GreaterThanOrEqualToThreshold\"")),
                "must page on any drift");
    }

    @Test
    void metricNameRenamedInTheCodeIsReported() throws IOException {
        // The same Terraform, but the code (the class in the jar) is not the one the alarm was written for.
        repo.writeExtraTerraform("job.tf", JOB);
        List<String> findings = ReconciliationJobCheck.findings(repo.parse(), repo.root, HANDLER,
                "com.example.infrachecks.fixture.GoodHandler");
        assertSingle(findings, "cannot read the metric names");
    }

    @Test
    void scheduleTargetingAnotherAliasIsReported() throws IOException {
        assertSingle(findings(JOB.replace("    arn      = aws_lambda_alias.job.arn", "    arn      = aws_lambda_alias.other.arn")),
                "no aws_scheduler_schedule in the root module targets ${aws_lambda_alias.job.arn}");
    }

    @Test
    void missingInvokePermissionIsReported() throws IOException {
        assertSingle(findings(JOB.replace("\"lambda:InvokeFunction\"", "\"lambda:GetFunction\"")),
                "allows lambda:InvokeFunction on ${aws_lambda_alias.job.arn}");
    }

    @Test
    void aliasOfAnotherFunctionIsReported() throws IOException {
        assertSingle(findings(JOB.replace("function_name    = aws_lambda_function.fn_a.function_name",
                "function_name    = aws_lambda_function.fn_b.function_name")), "no aws_lambda_alias in the root module");
    }

    @Test
    void jobNotDeployedIsReported() throws IOException {
        repo.writeExtraTerraform("job.tf", JOB);
        assertSingle(ReconciliationJobCheck.findings(repo.parse(), repo.root, "com.example.relay.Missing", METRICS),
                "expected exactly one aws_lambda_function with handler com.example.relay.Missing, found 0");
    }

    private List<String> findings(String jobTerraform) throws IOException {
        repo.writeExtraTerraform("job.tf", jobTerraform);
        return ReconciliationJobCheck.findings(repo.parse(), repo.root, HANDLER, METRICS);
    }

    private static void assertSingle(List<String> findings, String fragment) {
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().contains(fragment), findings.toString());
    }
}
