package com.example.infrachecks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what Terraform deploys with what the repository builds. For every {@code aws_lambda_function}:
 * <ul>
 *   <li>the artifact Terraform points at exists and is within Lambda's size limits;</li>
 *   <li>the artifact carries its application.yml and the YAML parser Micronaut needs to read it;</li>
 *   <li>the artifact carries no test-support class: no emulator, embedded server or local runtime;</li>
 *   <li>the handler class is in that artifact, implements a Lambda handler interface and has a no-arg constructor;</li>
 *   <li>the environment variables Terraform sets equal the {@code ${VAR}} placeholders of
 *       {@code <module>/src/main/resources/application.yml}, where {@code <module>} is the artifact's first path segment
 *       (so a second handler in a jar, such as the relay's reconciliation job, is held to that jar's yml);</li>
 *   <li>Flyway and micronaut-flyway only in the migration function's jar, and there both ({@link MigrationTooling});</li>
 *   <li>each of those placeholders' defaults equals the value Terraform deploys, where that is known before apply
 *       ({@link DeployedDefaultsCheck}).</li>
 * </ul>
 * Every finding is a human-readable line; none means no drift.
 */
public final class InfraDriftCheck {

    private InfraDriftCheck() {
    }

    public static List<String> findings(TerraformFiles terraform, Path repoRoot) throws IOException {
        List<String> findings = new ArrayList<>();
        terraform.parseErrors().forEach((file, error) -> findings.add(file + ": does not parse: " + error));

        List<LambdaDeclaration> lambdas = LambdaDeclaration.allIn(terraform);
        if (lambdas.isEmpty()) {
            findings.add(terraform.dir() + ": declares no aws_lambda_function, nothing to check");
        }
        for (LambdaDeclaration lambda : lambdas) {
            lambda.problems().forEach(p -> findings.add(lambda.address() + ": " + p));
            if (lambda.artifact().isEmpty()) {
                continue;
            }
            String relative = lambda.artifact().get();
            Path artifact = repoRoot.resolve(relative).normalize();
            if (!Files.isRegularFile(artifact)) {
                findings.add(lambda.address() + ": artifact " + relative + " does not exist (run ./mvnw package, or fix the path)");
                continue;
            }
            ArtifactSize.check(artifact).forEach(p -> findings.add(lambda.address() + ": " + p));
            ConfigurationPackaging.check(artifact).forEach(p -> findings.add(lambda.address() + ": " + p));
            TestSupportClasses.check(artifact).forEach(p -> findings.add(lambda.address() + ": " + p));
            MigrationTooling.check(artifact).forEach(p -> findings.add(lambda.address() + ": " + p));
            lambda.handler().ifPresent(handler ->
                    HandlerClassCheck.check(artifact, handler).forEach(p -> findings.add(lambda.address() + ": " + p)));

            String module = Path.of(relative).getName(0).toString();
            Path yml = repoRoot.resolve(module).resolve("src/main/resources/application.yml");
            if (!Files.isRegularFile(yml)) {
                findings.add(lambda.address() + ": " + module + "/src/main/resources/application.yml does not exist");
                continue;
            }
            Set<String> read = ApplicationYml.environmentVariables(yml);
            Set<String> set = lambda.environmentVariables();
            Set<String> readButNotSet = new TreeSet<>(read);
            readButNotSet.removeAll(set);
            readButNotSet.removeAll(LambdaRuntimeVariables.PROVIDED);
            Set<String> setButNotRead = new TreeSet<>(set);
            setButNotRead.removeAll(read);
            if (!readButNotSet.isEmpty()) {
                findings.add(lambda.address() + ": " + module + " application.yml reads " + readButNotSet + " but Terraform does not set them");
            }
            if (!setButNotRead.isEmpty()) {
                findings.add(lambda.address() + ": Terraform sets " + setButNotRead + " but " + module + " application.yml never reads them");
            }
            Set<String> reserved = new TreeSet<>(set);
            reserved.retainAll(LambdaRuntimeVariables.PROVIDED);
            if (!reserved.isEmpty()) {
                findings.add(lambda.address() + ": Terraform sets " + reserved + ", which Lambda reserves");
            }
        }
        findings.addAll(DeployedDefaultsCheck.findings(terraform, repoRoot));
        return findings;
    }
}
