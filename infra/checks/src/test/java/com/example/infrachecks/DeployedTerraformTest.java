package com.example.infrachecks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks against the real {@code infra/terraform} and the real, freshly packaged function jars
 * (this module depends on the function modules, so the reactor packages them first).
 */
class DeployedTerraformTest {

    static final Path REPO_ROOT = Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();

    /** The handler contract the README documents; Terraform must deploy exactly these, from these artifacts. */
    static final Map<String, String> CONTRACT_HANDLERS = Map.of(
            // Micronaut's APIGatewayV2HTTPEventFunction behind a pre-routing check (ADR 0007).
            "com.example.createorder.CreateOrderFunction", "create-order-fn/target/create-order-fn.jar",
            // The once-per-deploy migration, in a jar of its own (ADR 0005, 0044).
            "com.example.migration.SchemaMigrationFunction", "schema-migration-fn/target/schema-migration-fn.jar",
            "com.example.relay.OutboxRelayFunction", "outbox-relay-fn/target/outbox-relay-fn.jar",
            // The reconciliation job: a second handler in the relay's artifact (ADR 0071).
            "com.example.relay.ReconciliationFunction", "outbox-relay-fn/target/outbox-relay-fn.jar",
            // The CDC relay's retention job: a third handler in the relay's artifact, msk_connect mode only (ADR 0082).
            "com.example.relay.CdcRetentionFunction", "outbox-relay-fn/target/outbox-relay-fn.jar",
            "com.example.cancel.CancelConsumerFunction", "cancel-consumer-fn/target/cancel-consumer-fn.jar");

    static TerraformFiles terraform;

    @BeforeAll
    static void parse() throws IOException {
        terraform = terraformOrParse();
    }

    /** The real Terraform, parsed once per test JVM (other test classes read it too). */
    static synchronized TerraformFiles terraformOrParse() throws IOException {
        if (terraform == null) {
            terraform = TerraformFiles.parse(REPO_ROOT.resolve("infra/terraform"));
        }
        return terraform;
    }

    @Test
    void everyTerraformFileParses() {
        assertEquals(Map.of(), terraform.parseErrors());
        Set<String> modules = terraform.parsed().keySet().stream()
                .map(f -> f.contains("/") ? f.substring(0, f.lastIndexOf('/')) : ".")
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(".", "modules/api", "modules/cdc", "modules/database", "modules/functions", "modules/kafka",
                "modules/monitoring", "modules/network", "modules/schedule")), modules);
    }

    @Test
    void terraformDeploysExactlyTheContractHandlersFromTheContractArtifacts() {
        Map<String, Optional<String>> deployed = LambdaDeclaration.allIn(terraform).stream()
                .collect(Collectors.toMap(l -> l.handler().orElse(l.address()), LambdaDeclaration::artifact));
        assertEquals(CONTRACT_HANDLERS.keySet(), deployed.keySet());
        CONTRACT_HANDLERS.forEach((handler, artifact) -> assertEquals(Optional.of(artifact), deployed.get(handler), handler));
    }

    @Test
    void modulesAreWiredConsistently() {
        List<String> findings = ModuleWiringCheck.findings(terraform);
        assertTrue(findings.isEmpty(), "module wiring:\n  " + String.join("\n  ", findings));
    }

    @Test
    void everyResourceAndDataBlockMatchesTheProviderSchema() {
        List<String> findings = ProviderSchemaCheck.findings(terraform, ProviderSchema.committed());
        assertTrue(findings.isEmpty(), "provider schema:\n  " + String.join("\n  ", findings));
    }

    @Test
    void relayModeGatesBothRelays() {
        List<String> findings = RelayModeGatingCheck.findings(terraform);
        assertTrue(findings.isEmpty(), "relay_mode gating:\n  " + String.join("\n  ", findings));
    }

    @Test
    void cdcConnectorConfigurationMatchesThePackagedDebezium() throws IOException {
        List<String> findings = CdcConnectorConfigCheck.findings(terraform, REPO_ROOT, CdcRelayCheckTest.MSK_CONNECT_RUNTIME);
        assertTrue(findings.isEmpty(), "CDC relay on MSK Connect:\n  " + String.join("\n  ", findings));
    }

    @Test
    void handlersArtifactsAndEnvironmentMatchTheBuild() throws IOException {
        List<String> findings = InfraDriftCheck.findings(terraform, REPO_ROOT);
        assertTrue(findings.isEmpty(), "infra drift:\n  " + String.join("\n  ", findings));
    }

    @Test
    void functionDefaultsAreTheValuesTerraformDeploys() throws IOException {
        List<String> findings = DeployedDefaultsCheck.findings(terraform, REPO_ROOT);
        assertTrue(findings.isEmpty(), "deployed defaults:\n  " + String.join("\n  ", findings));
        // Not vacuous: values resolved through module arguments, templates and tostring() were compared.
        var compared = DeployedDefaultsCheck.comparedNames(terraform, REPO_ROOT);
        System.out.println("deployed defaults compared: " + compared);
        assertTrue(compared.getOrDefault("modules/functions/main.tf: aws_lambda_function.outbox_relay", List.of())
                .containsAll(List.of("RELAY_SAFETY_MARGIN", "RELAY_MAX_DURATION", "RELAY_BATCH_SIZE",
                        "RELAY_CLAIM_HOLD_LIMIT", "RELAY_KAFKA_DELIVERY_TIMEOUT_MS")), compared.toString());
        assertTrue(compared.getOrDefault("modules/functions/main.tf: aws_lambda_function.cancel_consumer", List.of())
                .containsAll(List.of("CANCEL_TIME_RESERVE_MS", "CANCEL_CONSUMER_NAME")), compared.toString());
    }

    @Test
    void theConsumerKeepsTimeToWork() throws IOException {
        List<String> findings = ConsumerTimeReserveCheck.findings(terraform, REPO_ROOT);
        assertTrue(findings.isEmpty(), "consumer time reserve:\n  " + String.join("\n  ", findings));
    }
}
