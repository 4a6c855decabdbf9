package com.example.infrachecks;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves each check can fail: a fixture repository that passes, then one deliberate drift at a time
 * (handler name, handler shape, artifact path, env var in either direction, HCL syntax, artifact size).
 */
class DriftDetectionTest {

    @TempDir
    Path tmp;

    FixtureRepository repo;

    @BeforeEach
    void createFixture() throws IOException {
        repo = new FixtureRepository(tmp);
    }

    @Test
    void fixtureWithoutDriftHasNoFindings() throws IOException {
        assertEquals(List.of(), findings());
    }

    @Test
    void artifactWithoutYamlParserIsReported() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), false);
        assertSingleFinding("has no snakeyaml");
    }

    @Test
    void emulatorClassInTheArtifactIsReported() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true, List.of("com/example/servers/EsmBatch.class"));
        assertSingleFinding("fn-a.jar contains test-support class com/example/servers/EsmBatch.class");
    }

    @Test
    void flywayWithoutTheMigrationFunctionIsReported() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true, List.of("org/flywaydb/core/Flyway.class"));
        assertSingleFinding("fn-a.jar carries Flyway (org/flywaydb/core/Flyway.class) but not "
                + "com/example/migration/SchemaMigrationFunction.class");
    }

    @Test
    void micronautFlywayWithoutTheMigrationFunctionIsReported() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true,
                List.of("io/micronaut/flyway/DataSourceMigrationRunner.class"));
        assertSingleFinding("fn-a.jar carries Flyway (io/micronaut/flyway/DataSourceMigrationRunner.class) but not");
    }

    @Test
    void theMigrationFunctionAtItsFormerHomeDoesNotAllowFlyway() throws IOException {
        // create-order-fn's jar held it until the migration function got a jar of its own.
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true,
                List.of("org/flywaydb/core/Flyway.class", "com/example/createorder/SchemaMigrationFunction.class"));
        assertSingleFinding("fn-a.jar carries Flyway (org/flywaydb/core/Flyway.class) but not");
    }

    @Test
    void flywayBesideTheMigrationFunctionIsAllowed() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true, List.of("org/flywaydb/core/Flyway.class",
                "io/micronaut/flyway/FlywayMigrator.class", "com/example/migration/SchemaMigrationFunction.class"));
        assertEquals(List.of(), findings());
    }

    @Test
    void theMigrationFunctionWithoutMicronautFlywayIsReported() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true,
                List.of("org/flywaydb/core/Flyway.class", "com/example/migration/SchemaMigrationFunction.class"));
        assertSingleFinding("fn-a.jar holds com/example/migration/SchemaMigrationFunction.class but no "
                + "io/micronaut/flyway/ classes");
    }

    @Test
    void emulatorAtItsFormerHomeIsReported() throws IOException {
        repo.writeJar(repo.root.resolve(FixtureRepository.ARTIFACT), true,
                List.of("com/example/cancel/esm/EsmRecord.class", "com/example/cancel/esm/EsmBatch$Record.class"));
        assertSingleFinding("contains test-support class com/example/cancel/esm/EsmBatch$Record.class");
    }

    @Test
    void renamedHandlerClassIsReported() throws IOException {
        repo.writeTerraform("com.example.infrachecks.fixture.RenamedHandler", FixtureRepository.ARTIFACT, FixtureRepository.ENVIRONMENT);
        assertSingleFinding("handler class com.example.infrachecks.fixture.RenamedHandler is not in fn-a.jar");
    }

    @Test
    void classMethodHandlerFormIsReported() throws IOException {
        repo.writeTerraform(FixtureRepository.HANDLER + "::handleRequest", FixtureRepository.ARTIFACT, FixtureRepository.ENVIRONMENT);
        assertSingleFinding("uses Class::method");
    }

    @Test
    void classThatIsNoLambdaHandlerIsReported() throws IOException {
        repo.writeTerraform("com.example.infrachecks.fixture.NotAHandler", FixtureRepository.ARTIFACT, FixtureRepository.ENVIRONMENT);
        assertSingleFinding("implements neither RequestHandler nor RequestStreamHandler");
    }

    @Test
    void handlerWithoutNoArgConstructorIsReported() throws IOException {
        repo.writeTerraform("com.example.infrachecks.fixture.NoNoArgConstructorHandler", FixtureRepository.ARTIFACT, FixtureRepository.ENVIRONMENT);
        assertSingleFinding("has no public no-arg constructor");
    }

    @Test
    void handlerInterfaceInheritedFromSuperclassIsAccepted() throws IOException {
        repo.writeTerraform("com.example.infrachecks.fixture.InheritedStreamHandler", FixtureRepository.ARTIFACT, FixtureRepository.ENVIRONMENT);
        assertEquals(List.of(), findings());
    }

    @Test
    void driftedArtifactPathIsReported() throws IOException {
        repo.writeTerraform(FixtureRepository.HANDLER, "fn-a/target/fn-a-0.1.0-SNAPSHOT.jar", FixtureRepository.ENVIRONMENT);
        assertSingleFinding("artifact fn-a/target/fn-a-0.1.0-SNAPSHOT.jar does not exist");
    }

    @Test
    void artifactPathThatIsNotStaticIsReported() throws IOException {
        repo.writeTerraform(FixtureRepository.HANDLER, "fn-a/target/${var.jar_name}", FixtureRepository.ENVIRONMENT);
        assertSingleFinding("filename must look like");
    }

    @Test
    void variableReadByTheFunctionButNotSetByTerraformIsReported() throws IOException {
        repo.writeTerraform(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT,
                FixtureRepository.ENVIRONMENT.replace("FN_A_BATCH_SIZE     = tostring(var.batch_size)", ""));
        assertSingleFinding("application.yml reads [FN_A_BATCH_SIZE] but Terraform does not set them");
    }

    @Test
    void variableSetByTerraformButNeverReadIsReported() throws IOException {
        repo.writeTerraform(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT,
                FixtureRepository.ENVIRONMENT + "    FN_A_BATCH_SIZ = \"typo\"\n");
        assertSingleFinding("Terraform sets [FN_A_BATCH_SIZ] but fn-a application.yml never reads them");
    }

    @Test
    void variableRenamedInTheYmlIsReportedInBothDirections() throws IOException {
        repo.writeYml(FixtureRepository.YML.replace("${FN_A_BATCH_SIZE:100}", "${FN_A_MAX_BATCH:100}"));
        List<String> findings = findings();
        assertEquals(2, findings.size(), findings.toString());
        assertTrue(findings.get(0).contains("reads [FN_A_MAX_BATCH]"), findings.toString());
        assertTrue(findings.get(1).contains("sets [FN_A_BATCH_SIZE]"), findings.toString());
    }

    @Test
    void ymlDefaultThatDiffersFromTheDeployedValueIsReported() throws IOException {
        repo.writeYml(FixtureRepository.YML.replace("${TOPIC_ORDER_CREATED:order.created}",
                "${TOPIC_ORDER_CREATED:orders.created}"));
        assertSingleFinding("Terraform deploys TOPIC_ORDER_CREATED = \"order.created\" but the application.yml default"
                + " is \"orders.created\"");
    }

    @Test
    void durationDefaultsCompareByLengthThroughVariablesAndTemplates() throws IOException {
        repo.writeYml(FixtureRepository.YML + "  max-duration: ${FN_A_MAX_DURATION:100s}\n");
        repo.writeTerraform(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT,
                FixtureRepository.ENVIRONMENT + "    FN_A_MAX_DURATION = \"${var.timeout_seconds}s\"\n");
        repo.writeExtraTerraform("variables.tf", "variable \"timeout_seconds\" {\n  default = 100\n}\n");
        assertEquals(List.of(), findings());
        // The drift this check was added for: RELAY_MAX_DURATION defaulted to 60s while Terraform deployed 100s.
        repo.writeExtraTerraform("variables.tf", "variable \"timeout_seconds\" {\n  default = 60\n}\n");
        repo.writeYml(FixtureRepository.YML + "  max-duration: ${FN_A_MAX_DURATION:1m}\n");
        assertEquals(List.of(), findings(), "1m is 60s");
        repo.writeYml(FixtureRepository.YML + "  max-duration: ${FN_A_MAX_DURATION:100s}\n");
        assertSingleFinding("Terraform deploys FN_A_MAX_DURATION = \"60s\" but the application.yml default is \"100s\"");
    }

    @Test
    void valuesKnownOnlyAtApplyAreNotCompared() throws IOException {
        // DB_URL = var.db_url has no default, DB_PASSWORD comes from a data source and FN_A_BATCH_SIZE from a
        // variable without default: deployment-specific. The literals are compared.
        assertEquals(List.of("DB_USERNAME", "TOPIC_ORDER_CREATED"), DeployedDefaultsCheck.compared(repo.parse(), repo.root)
                .stream().map(DeployedDefaultsCheck.Comparison::variable).toList());
    }

    @Test
    void lambdaReservedVariableMayBeReadButNotSet() throws IOException {
        repo.writeYml(FixtureRepository.YML + "region: ${AWS_REGION:eu-west-1}\n");
        assertEquals(List.of(), findings());

        repo.writeTerraform(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT,
                FixtureRepository.ENVIRONMENT + "    AWS_REGION = \"eu-west-1\"\n");
        assertSingleFinding("which Lambda reserves");
    }

    @Test
    void environmentBuiltByAnExpressionIsReportedBecauseItCannotBeChecked() throws IOException {
        Files.writeString(repo.root.resolve("infra/main.tf"), """
                resource "aws_lambda_function" "fn_a" {
                  handler  = "%s"
                  filename = "${var.repo_root}/%s"
                  environment {
                    variables = merge(local.common_env, { FN_A_BATCH_SIZE = "10" })
                  }
                }
                """.formatted(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT));
        List<String> findings = findings();
        assertTrue(findings.stream().anyMatch(f -> f.contains("must be a literal map")), findings.toString());
    }

    @Test
    void secondHandlerTakingTheFirstFunctionsEnvironmentIsCheckedWithItsKeys() throws IOException {
        repo.writeExtraTerraform("job.tf", secondHandler("fn_a"));
        assertEquals(List.of(), findings());
        // The keys are the first function's: a key the yml does not read is still reported, for both functions.
        repo.writeTerraform(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT,
                FixtureRepository.ENVIRONMENT + "    FN_A_UNUSED = \"1\"\n");
        List<String> findings = findings();
        assertEquals(2, findings.size(), findings.toString());
        assertTrue(findings.stream().allMatch(f -> f.contains("[FN_A_UNUSED] but fn-a application.yml never reads them")),
                findings.toString());
    }

    @Test
    void environmentReferenceToAnUndeclaredFunctionIsReported() throws IOException {
        repo.writeExtraTerraform("job.tf", secondHandler("fn_missing"));
        List<String> findings = findings();
        assertTrue(findings.stream().anyMatch(f -> f.contains("refers to aws_lambda_function.fn_missing, which this module"
                + " does not declare")), findings.toString());
    }

    private static String secondHandler(String environmentOf) {
        return """
                resource "aws_lambda_function" "fn_job" {
                  handler  = "%s"
                  filename = "${var.repo_root}/%s"
                  environment {
                    variables = aws_lambda_function.%s.environment[0].variables
                  }
                }
                """.formatted(FixtureRepository.HANDLER, FixtureRepository.ARTIFACT, environmentOf);
    }

    @Test
    void fileThatDoesNotParseIsReported() throws IOException {
        repo.writeExtraTerraform("broken.tf", "resource \"aws_sqs_queue\" \"dlq\" {\n  name = \n}\n");
        assertSingleFinding("broken.tf: does not parse");
    }

    @Test
    void terraformWithoutAnyLambdaIsReported() throws IOException {
        Files.writeString(repo.root.resolve("infra/main.tf"), "resource \"aws_sqs_queue\" \"dlq\" {\n  name = \"dlq\"\n}\n");
        assertSingleFinding("declares no aws_lambda_function");
    }

    @Test
    void artifactOverTheSizeLimitsIsReported() {
        Path jar = repo.root.resolve(FixtureRepository.ARTIFACT);
        assertEquals(List.of(), ArtifactSize.check(jar));
        List<String> zipped = ArtifactSize.check(jar, 100, Long.MAX_VALUE);
        assertEquals(1, zipped.size(), zipped.toString());
        assertTrue(zipped.get(0).contains("zipped, limit 100"), zipped.toString());
        List<String> unzipped = ArtifactSize.check(jar, Long.MAX_VALUE, 100);
        assertEquals(1, unzipped.size(), unzipped.toString());
        assertTrue(unzipped.get(0).contains("unzipped, limit 100"), unzipped.toString());
    }

    // --- module wiring (what `terraform validate` would reject): a consistent root + child module, then one drift each

    private static final String CHILD_VARIABLES = """
            variable "name" {
              description = "Required: no default."
              type        = string
            }
            variable "size" {
              description = "Optional. Prose like var.not_a_reference or module.nothing.here is ignored."
              type        = number
              default     = 1
            }
            """;
    private static final String CHILD_MAIN = """
            locals {
              queue_name = "${var.name}-q"
            }
            resource "aws_sqs_queue" "q" {
              name                      = local.queue_name
              message_retention_seconds = var.size * 60
            }
            """;
    private static final String CHILD_OUTPUTS = """
            output "queue_arn" {
              value = aws_sqs_queue.q.arn
            }
            """;
    private static final String ROOT_MAIN = """
            variable "env" {
              type    = string
              default = "dev"
            }
            module "child" {
              source = "./modules/child"
              count  = 1
              name   = var.env
              size   = 2
            }
            output "queue_arn" {
              value = one(module.child[*].queue_arn)
            }
            """;

    private List<String> wiringFindings(String rootMain, String childVariables, String childMain) throws IOException {
        Path dir = tmp.resolve("wiring");
        Files.createDirectories(dir.resolve("modules/child"));
        Files.writeString(dir.resolve("main.tf"), rootMain);
        Files.writeString(dir.resolve("modules/child/variables.tf"), childVariables);
        Files.writeString(dir.resolve("modules/child/main.tf"), childMain);
        Files.writeString(dir.resolve("modules/child/outputs.tf"), CHILD_OUTPUTS);
        TerraformFiles terraform = TerraformFiles.parse(dir);
        assertEquals(java.util.Map.of(), terraform.parseErrors());
        return ModuleWiringCheck.findings(terraform);
    }

    private void assertSingleWiringFinding(List<String> findings, String expectedFragment) {
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).contains(expectedFragment), "expected '" + expectedFragment + "' in " + findings);
    }

    @Test
    void consistentModuleWiringHasNoFindings() throws IOException {
        assertEquals(List.of(), wiringFindings(ROOT_MAIN, CHILD_VARIABLES, CHILD_MAIN));
    }

    @Test
    void variableUsedButNotDeclaredInTheModuleIsReported() throws IOException {
        assertSingleWiringFinding(wiringFindings(ROOT_MAIN, CHILD_VARIABLES, CHILD_MAIN.replace("var.size", "var.retention")),
                "modules/child/main.tf: var.retention is not declared in modules/child");
    }

    @Test
    void localUsedButNotDefinedIsReported() throws IOException {
        assertSingleWiringFinding(wiringFindings(ROOT_MAIN, CHILD_VARIABLES, CHILD_MAIN.replace("local.queue_name", "local.queue")),
                "local.queue is not defined in modules/child");
    }

    @Test
    void moduleOutputThatDoesNotExistIsReported() throws IOException {
        assertSingleWiringFinding(wiringFindings(ROOT_MAIN.replace("[*].queue_arn", "[*].queue_url"), CHILD_VARIABLES, CHILD_MAIN),
                "module.child.queue_url is not an output of modules/child");
    }

    @Test
    void argumentPassedToAModuleThatDoesNotDeclareItIsReported() throws IOException {
        assertSingleWiringFinding(wiringFindings(ROOT_MAIN.replace("size   = 2", "sizes  = 2"), CHILD_VARIABLES, CHILD_MAIN),
                "module \"child\" passes sizes, which modules/child does not declare");
    }

    @Test
    void requiredModuleVariableNotPassedIsReported() throws IOException {
        assertSingleWiringFinding(wiringFindings(ROOT_MAIN.replace("name   = var.env\n", ""), CHILD_VARIABLES, CHILD_MAIN),
                "module \"child\" does not pass name, which modules/child requires");
    }

    @Test
    void referenceToAModuleBlockThatDoesNotExistIsReported() throws IOException {
        assertSingleWiringFinding(wiringFindings(ROOT_MAIN.replace("module.child[*]", "module.kid[*]"), CHILD_VARIABLES, CHILD_MAIN),
                "module.kid has no module \"kid\" block");
    }

    private List<String> findings() throws IOException {
        return InfraDriftCheck.findings(repo.parse(), repo.root);
    }

    private void assertSingleFinding(String expectedFragment) throws IOException {
        List<String> findings = findings();
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).contains(expectedFragment), "expected '" + expectedFragment + "' in " + findings);
    }
}
