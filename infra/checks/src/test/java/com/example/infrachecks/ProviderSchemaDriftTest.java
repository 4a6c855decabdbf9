package com.example.infrachecks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves {@link ProviderSchemaCheck} can fail, against the committed provider schema: a fixture module that uses
 * every meta-argument and passes, then one deliberate mistake of each kind. Every variant is its own module directory
 * under one root, so node parses them all in one run.
 */
class ProviderSchemaDriftTest {

    /** Valid for hashicorp/aws 6.x: meta-arguments, dynamic blocks, timeouts, data sources, indexed references. */
    static final String VALID = """
            provider "aws" {
              region                     = "eu-west-1"
              skip_requesting_account_id = false

              default_tags {
                tags = { service = "orders" }
              }
            }

            provider "aws" {
              alias  = "us"
              region = "us-east-1"
            }

            data "aws_iam_policy_document" "assume" {
              statement {
                actions = ["sts:AssumeRole"]
                principals {
                  type        = "Service"
                  identifiers = ["scheduler.amazonaws.com"]
                }
              }
            }

            resource "aws_iam_role" "scheduler" {
              name_prefix        = "sched-"
              assume_role_policy = data.aws_iam_policy_document.assume.json
            }

            resource "aws_sqs_queue" "dlq" {
              count                     = var.enabled ? 1 : 0
              name                      = "dlq"
              message_retention_seconds = 1209600
              tags                      = { team = "orders" }

              timeouts {
                create = "5m"
              }
              lifecycle {
                ignore_changes = [tags]
              }
            }

            resource "aws_scheduler_schedule" "relay" {
              for_each            = toset(["a"])
              name                = "relay-${each.key}"
              schedule_expression = "rate(1 minute)"
              depends_on          = [aws_iam_role.scheduler]
              provider            = aws

              flexible_time_window {
                mode = "OFF"
              }

              target {
                arn      = var.target_arn
                role_arn = aws_iam_role.scheduler.arn

                dynamic "dead_letter_config" {
                  for_each = aws_sqs_queue.dlq[*].arn
                  content {
                    arn = dead_letter_config.value
                  }
                }
              }
            }

            output "dlq_url" {
              value = one(aws_sqs_queue.dlq[*].url)
            }
            output "schedule_arn" {
              value = aws_scheduler_schedule.relay["a"].arn
            }
            """;


    /**
     * One deliberate mistake: the variant of {@link #VALID} and a fragment of each finding it must produce (exactly
     * these, in order).
     */
    record Mistake(String name, String mainTf, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Mistake> mistakes() {
        return List.of(
                new Mistake("misspelled provider argument",
                        VALID.replace("skip_requesting_account_id", "skip_request_account_id"),
                        List.of("provider \"aws\": skip_request_account_id is not an argument or nested block of this type")),
                new Mistake("provider block written as an argument",
                        VALID.replace("default_tags {", "default_tags = {"),
                        List.of("provider \"aws\": default_tags is a nested block, written as an argument")),
                new Mistake("unknown lifecycle argument",
                        VALID.replace("ignore_changes = [tags]", "ignore_changes = [tags]\n    prevent_destroy_ = true"),
                        List.of("\"dlq\" > lifecycle: prevent_destroy_ is not a lifecycle argument")),
                new Mistake("lifecycle ignore_changes naming no argument",
                        VALID.replace("ignore_changes = [tags]", "ignore_changes = [tag]"),
                        List.of("\"dlq\" > lifecycle: ignore_changes names tag, which is not an argument")),
                new Mistake("unknown resource type",
                        VALID.replace("resource \"aws_sqs_queue\" \"dlq\"", "resource \"aws_sqs_queues\" \"dlq\""),
                        List.of("resource \"aws_sqs_queues\" \"dlq\": aws_sqs_queues is not a resource type of hashicorp/aws 6.40.0",
                                "aws_sqs_queue.dlq is referenced but not declared in this module")),
                new Mistake("unknown data-source type",
                        VALID.replace("data \"aws_iam_policy_document\" \"assume\"", "data \"aws_iam_policy\" \"assume\""),
                        List.of("aws_iam_policy is not a data type of hashicorp/aws 6.40.0",
                                "data.aws_iam_policy_document.assume is referenced but not declared in this module")),
                new Mistake("misspelled argument",
                        VALID.replace("message_retention_seconds", "message_retention_period"),
                        List.of("aws_sqs_queue\" \"dlq\": message_retention_period is not an argument or nested block of this type")),
                new Mistake("misspelled argument in a nested block (so the required one is missing)",
                        VALID.replace("identifiers = [", "identifier = ["),
                        List.of("statement > principals: identifier is not an argument",
                                "statement > principals: required argument identifiers is missing")),
                new Mistake("misspelled nested block",
                        VALID.replace("  timeouts {", "  timeout {"),
                        List.of("\"dlq\": timeout is not an argument or nested block of this type")),
                new Mistake("exported-only attribute set",
                        VALID.replace("name                      = \"dlq\"", "name = \"dlq\"\n  arn = \"x\""),
                        List.of("\"dlq\": arn is exported only (computed by the provider); it cannot be set")),
                new Mistake("missing required argument",
                        VALID.replace("  schedule_expression = \"rate(1 minute)\"\n", ""),
                        List.of("aws_scheduler_schedule\" \"relay\": required argument schedule_expression is missing")),
                new Mistake("missing required argument in a nested block",
                        VALID.replace("    role_arn = aws_iam_role.scheduler.arn\n", ""),
                        List.of("\"relay\" > target: required argument role_arn is missing")),
                new Mistake("missing required block",
                        VALID.replace("  flexible_time_window {\n    mode = \"OFF\"\n  }\n", ""),
                        List.of("\"relay\": required block flexible_time_window { ... } is missing")),
                new Mistake("block written as an object argument",
                        VALID.replace("flexible_time_window {", "flexible_time_window = {"),
                        List.of("flexible_time_window is a nested block, written as an argument")),
                new Mistake("block written as a list of objects (hcl2json renders it like the block form)",
                        VALID.replace("  flexible_time_window {\n    mode = \"OFF\"\n  }\n", "  flexible_time_window = [{ mode = \"OFF\" }]\n"),
                        List.of("flexible_time_window is a nested block, written as an argument")),
                new Mistake("block written as an expression",
                        VALID.replace("  timeouts {\n    create = \"5m\"\n  }\n", "  timeouts = var.timeouts\n"),
                        List.of("\"dlq\": timeouts is a nested block, written as an argument")),
                new Mistake("argument written as a block",
                        VALID.replace("tags                      = { team = \"orders\" }", "tags {\n    team = \"orders\"\n  }"),
                        List.of("\"dlq\": tags is an argument, written as a block")),
                new Mistake("argument written as a block inside a nested block",
                        VALID.replace("    mode = \"OFF\"\n", "    mode {\n      value = \"OFF\"\n    }\n"),
                        List.of("\"relay\" > flexible_time_window: mode is an argument, written as a block")),
                new Mistake("single block written twice",
                        VALID.replace("  flexible_time_window {\n    mode = \"OFF\"\n  }\n",
                                "  flexible_time_window {\n    mode = \"OFF\"\n  }\n  flexible_time_window {\n    mode = \"OFF\"\n  }\n"),
                        List.of("flexible_time_window is written 2 times; the provider allows one")),
                new Mistake("dynamic block of an unknown name",
                        VALID.replace("dynamic \"dead_letter_config\"", "dynamic \"dead_letter\""),
                        List.of("target: dynamic \"dead_letter\": dead_letter is not a nested block")),
                new Mistake("dynamic block content checked against the block",
                        VALID.replace("arn = dead_letter_config.value", "queue_arn = dead_letter_config.value"),
                        List.of("target > dynamic dead_letter_config: queue_arn is not an argument",
                                "target > dynamic dead_letter_config: required argument arn is missing")),
                new Mistake("reference to an attribute the resource type does not export",
                        VALID.replace("aws_sqs_queue.dlq[*].url", "aws_sqs_queue.dlq[*].queue_url"),
                        List.of("aws_sqs_queue.dlq.queue_url: aws_sqs_queue exports no attribute queue_url")),
                new Mistake("reference to an attribute the data source does not export",
                        VALID.replace("data.aws_iam_policy_document.assume.json", "data.aws_iam_policy_document.assume.policy"),
                        List.of("data.aws_iam_policy_document.assume.policy: aws_iam_policy_document exports no attribute policy")),
                new Mistake("reference to a resource that is not declared",
                        VALID.replace("role_arn = aws_iam_role.scheduler.arn", "role_arn = aws_iam_role.relay.arn"),
                        List.of("aws_iam_role.relay is referenced but not declared in this module")));
    }

    @TempDir
    static Path tmp;

    static List<String> findings;

    @BeforeAll
    static void checkAllVariantsInOneParse() throws IOException {
        write("valid/main.tf", VALID);
        // a resource is visible only in its own module: the same address from a child module is not declared there
        write("other-module/main.tf", VALID);
        write("other-module/modules/other/main.tf", "output \"role\" {\n  value = aws_iam_role.scheduler.arn\n}\n");
        for (Mistake mistake : mistakes()) {
            write(dirOf(mistake) + "/main.tf", mistake.mainTf());
        }
        TerraformFiles terraform = TerraformFiles.parse(tmp.resolve("tf"));
        assertEquals(Map.of(), terraform.parseErrors());
        findings = ProviderSchemaCheck.findings(terraform, ProviderSchema.committed());
    }

    @Test
    void validFixtureHasNoFindings() {
        assertEquals(List.of(), findingsIn("valid/"));
    }

    @Test
    void referenceToAResourceOfAnotherModuleIsReported() {
        assertEquals(List.of("other-module/modules/other/main.tf: aws_iam_role.scheduler is referenced but not declared in this module"),
                findingsIn("other-module/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsReported(Mistake mistake) {
        List<String> found = findingsIn(dirOf(mistake) + "/");
        assertEquals(mistake.expected().size(), found.size(), found.toString());
        for (int i = 0; i < found.size(); i++) {
            assertTrue(found.get(i).contains(mistake.expected().get(i)),
                    "expected '" + mistake.expected().get(i) + "' in " + found.get(i));
        }
    }

    private static List<String> findingsIn(String dirPrefix) {
        return findings.stream().filter(f -> f.startsWith(dirPrefix)).toList();
    }

    private static String dirOf(Mistake mistake) {
        return mistake.name().replaceAll("[^a-z]+", "-");
    }

    private static void write(String relative, String text) throws IOException {
        Path file = tmp.resolve("tf").resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
