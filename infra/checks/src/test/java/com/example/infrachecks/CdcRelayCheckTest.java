package com.example.infrachecks;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the CDC relay checks can fail: the real plugin ZIP, the real Terraform and the real shared connector
 * configuration pass; then one deliberate break at a time (a class missing from the ZIP, a misspelt property of the
 * connector, the router, a converter or the worker, a broken wiring, a relay_mode gate removed).
 */
class CdcRelayCheckTest {

    static final Path REPO_ROOT = DeployedTerraformTest.REPO_ROOT;
    static final Path MSK_CONNECT_RUNTIME = Path.of(System.getProperty("msk.connect.runtime",
            REPO_ROOT.resolve("infra/checks/target/msk-connect-runtime").toString()));
    static final Path PLUGIN_ZIP = REPO_ROOT.resolve("cdc-relay-plugin/target/cdc-relay-plugin.zip");

    static ConnectPluginClasses classes;
    static Map<String, String> connector;
    static Map<String, String> worker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadThePlugin() throws IOException {
        classes = ConnectPluginClasses.open(PLUGIN_ZIP, MSK_CONNECT_RUNTIME);
        CdcConnectorConfigCheck.Deployment deployed = CdcConnectorConfigCheck.read(DeployedTerraformTest.terraformOrParse());
        assertEquals(List.of(), deployed.problems());
        connector = new TreeMap<>();
        new ObjectMapper().readTree(REPO_ROOT.resolve(deployed.commonConnectorFile().orElseThrow()).toFile())
                .fields().forEachRemaining(e -> connector.put(e.getKey(), e.getValue().asText()));
        connector.putAll(deployed.awsConnectorSettings());
        worker = deployed.workerProperties(REPO_ROOT);
    }

    @AfterAll
    static void close() throws IOException {
        classes.close();
    }

    // --- the ZIP -----------------------------------------------------------------------------------------------------

    @Test
    void theBuiltZipCarriesConnectorRouterAndIamLogin() {
        assertEquals(List.of(), CdcPluginZip.findings(PLUGIN_ZIP));
    }

    @Test
    void zipWithoutTheRouterIsReported() throws IOException {
        Path zip = zip(List.of(CdcPluginZip.CONNECTOR_CLASS, CdcPluginZip.CLOUDEVENTS_HEADERS_CLASS, CdcPluginZip.IAM_AUTH_CLASSES.get(0), CdcPluginZip.IAM_AUTH_CLASSES.get(1)), 61);
        assertSingle(CdcPluginZip.findings(zip), "has no jar with io.debezium.transforms.outbox.EventRouter");
    }

    @Test
    void zipWithoutTheCloudEventsTransformIsReported() throws IOException {
        Path zip = zip(List.of(CdcPluginZip.CONNECTOR_CLASS, CdcPluginZip.OUTBOX_ROUTER_CLASS,
                CdcPluginZip.IAM_AUTH_CLASSES.get(0), CdcPluginZip.IAM_AUTH_CLASSES.get(1)), 61);
        assertSingle(CdcPluginZip.findings(zip), "has no jar with com.example.cdc.CloudEventsHeaders");
    }

    @Test
    void zipWithoutTheIamLoginIsReported() throws IOException {
        Path zip = zip(List.of(CdcPluginZip.CONNECTOR_CLASS, CdcPluginZip.OUTBOX_ROUTER_CLASS, CdcPluginZip.CLOUDEVENTS_HEADERS_CLASS, CdcPluginZip.IAM_AUTH_CLASSES.get(1)), 61);
        assertSingle(CdcPluginZip.findings(zip), "has no jar with software.amazon.msk.auth.iam.IAMLoginModule");
    }

    @Test
    void classesNewerThanJava17AreReported() throws IOException {
        List<String> all = List.of(CdcPluginZip.CONNECTOR_CLASS, CdcPluginZip.OUTBOX_ROUTER_CLASS,
                CdcPluginZip.CLOUDEVENTS_HEADERS_CLASS, CdcPluginZip.IAM_AUTH_CLASSES.get(0), CdcPluginZip.IAM_AUTH_CLASSES.get(1));
        assertEquals(List.of(), CdcPluginZip.findings(zip(all, 61)));
        List<String> findings = CdcPluginZip.findings(zip(all, 65));
        assertEquals(all.size(), findings.size(), findings.toString());
        assertTrue(findings.get(0).contains("class file version 65, newer than Java 17"), findings.toString());
    }

    @Test
    void bundledKafkaApiIsReported() throws IOException {
        Path zip = zip(List.of(CdcPluginZip.CONNECTOR_CLASS, CdcPluginZip.OUTBOX_ROUTER_CLASS,
                CdcPluginZip.CLOUDEVENTS_HEADERS_CLASS, CdcPluginZip.IAM_AUTH_CLASSES.get(0), CdcPluginZip.IAM_AUTH_CLASSES.get(1), "org.apache.kafka.connect.source.SourceConnector"), 61);
        assertSingle(CdcPluginZip.findings(zip), "holds org.apache.kafka classes");
    }

    // --- property names against the packaged classes ------------------------------------------------------------------

    @Test
    void theDeployedConfigurationHasOnlyKnownProperties() {
        assertEquals(List.of(), CdcConnectorConfigCheck.connectorFindings(connector, classes));
        assertEquals(List.of(), CdcConnectorConfigCheck.workerFindings(worker, classes));
    }

    @Test
    void kafkaConnectFrameworkPropertiesAreKnown() {
        assertEquals(List.of(), CdcConnectorConfigCheck.connectorFindings(with(connector, "errors.tolerance", "none"), classes));
    }

    @Test
    void misspeltConnectorPropertyIsReported() {
        assertSingle(CdcConnectorConfigCheck.connectorFindings(with(connector, "slot.nmae", "x"), classes),
                "slot.nmae is not a property of Debezium 3.6.1.Final's PostgresConnector");
    }

    @Test
    void misspeltRouterPropertyIsReported() {
        assertSingle(CdcConnectorConfigCheck.connectorFindings(with(connector, "transforms.outbox.table.field.event.kee", "aggregate_id"), classes),
                "table.field.event.kee is not a property of io.debezium.transforms.outbox.EventRouter");
    }

    @Test
    void propertyOfAnUnlistedTransformIsReported() {
        assertSingle(CdcConnectorConfigCheck.connectorFindings(with(connector, "transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"), classes),
                "transforms.unwrap.type names no alias listed in transforms [heartbeats, outbox, cloudevents]");
    }

    @Test
    void converterPropertyTheConverterDoesNotHaveIsReported() {
        Map<String, String> config = with(connector, "key.converter.encoding", "UTF-8");
        assertSingle(CdcConnectorConfigCheck.connectorFindings(config, classes),
                "key.converter.encoding: encoding is not a property of org.apache.kafka.connect.storage.StringConverter");
        assertEquals(List.of(), CdcConnectorConfigCheck.connectorFindings(with(connector, "key.converter.converter.encoding", "UTF-8"), classes));
    }

    @Test
    void missingRouterIsReported() {
        Map<String, String> config = new TreeMap<>(connector);
        config.keySet().removeIf(k -> k.startsWith("transforms"));
        assertSingle(CdcConnectorConfigCheck.connectorFindings(config, classes), "no transformation is the Outbox Event Router");
    }

    @Test
    void anotherConnectorClassIsReported() {
        assertSingle(CdcConnectorConfigCheck.connectorFindings(with(connector, "connector.class", "io.debezium.connector.mysql.MySqlConnector"), classes),
                "connector.class is io.debezium.connector.mysql.MySqlConnector");
    }

    @Test
    void misspeltWorkerPropertyIsReported() {
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "offset.storage.topik", "x"), classes),
                "worker configuration: offset.storage.topik is not a property of a Kafka Connect distributed worker");
    }

    @Test
    void producerPropertiesMskConnectRefusesOrThatLoseOrderAreReported() {
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "producer.max.in.flight.requests.per.connection", "5"), classes),
                "producer.max.in.flight.requests.per.connection is not among the producer properties MSK Connect accepts");
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "producer.lingr.ms", "5"), classes),
                "producer.lingr.ms: lingr.ms is not a Kafka producer property");
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "producer.acks", "1"), classes),
                "producer.acks must be all (at least once, in order per aggregate), found 1");
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "producer.enable.idempotence", "false"), classes),
                "producer.enable.idempotence must be true");
        assertEquals("10000", worker.get("offset.flush.interval.ms"), "the shared worker file reaches MSK Connect");
    }

    @Test
    void unloadableConverterIsReported() {
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "value.converter", "org.apache.kafka.connect.json.JsonConvertor"), classes),
                "value.converter = org.apache.kafka.connect.json.JsonConvertor is no class in the plugin or the worker");
    }

    @Test
    void thePasswordIsAReferenceToADeclaredProviderInThePlugin() {
        assertEquals("$${secretsmanager:${aws_secretsmanager_secret.replication.name}:password}", connector.get("database.password"));
        assertEquals(List.of(), CdcConnectorConfigCheck.secretReferenceFindings(connector, worker));
    }

    @Test
    void aPasswordStoredInTheConnectorConfigurationIsReported() {
        assertSingle(CdcConnectorConfigCheck.secretReferenceFindings(with(connector, "database.password", "${random_password.replication.result}"), worker),
                "database.password must be a ${<provider>:<secret name>:<key>} reference");
    }

    @Test
    void aReferenceToAnUndeclaredProviderIsReported() {
        assertSingle(CdcConnectorConfigCheck.secretReferenceFindings(with(connector, "database.user", "${ssm:/orders/cdc:user}"), worker),
                "database.user refers to config provider ssm, which the worker configuration does not declare");
    }

    @Test
    void aProviderClassThatIsNoConfigProviderIsReported() {
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "config.providers.secretsmanager.class", "org.apache.kafka.connect.storage.StringConverter"), classes),
                "config.providers.secretsmanager.class = org.apache.kafka.connect.storage.StringConverter is no ConfigProvider in the plugin");
    }

    @Test
    void parametersOfAnUndeclaredProviderAreReported() {
        assertSingle(CdcConnectorConfigCheck.workerFindings(with(worker, "config.providers.vault.param.address", "https://vault"), classes),
                "config.providers.vault.param.address is neither <provider>.class nor <provider>.param.* of a provider listed");
    }

    // --- Terraform wiring and the relay_mode gates (a copy of the real Terraform, one edit each) -----------------------

    // Each parse of a Terraform copy costs seconds (node + the HCL parser), so each test below makes several independent
    // breaks in one copy and expects exactly one finding per break.

    @Test
    void brokenWiringOfConfigurationAndPluginIsReported() throws IOException {
        TerraformFiles edited = editedTerraform(Map.of("modules/cdc/main.tf", t -> replace(replace(replace(t,
                "connector_configuration    = local.connector_configuration", "connector_configuration    = local.connector_common"),
                "merge(local.connector_common, local.connector_aws)", "local.connector_common"),
                "source      = local.plugin_zip", "source      = \"${var.repo_root}/plugin.zip\"")));
        assertFindings(CdcConnectorConfigCheck.read(edited).problems(),
                "connector_configuration must be local.connector_configuration",
                "local.connector_configuration must use merge(local.connector_common, local.connector_aws)",
                "must upload source = local.plugin_zip");
    }

    @Test
    void removedRelayModeGatesAreReported() throws IOException {
        TerraformFiles edited = editedTerraform(Map.of(
                "main.tf", t -> replace(t, "count           = local.full_stack && local.lambda_relay ? 1 : 0", "count           = local.full_stack ? 1 : 0"),
                "modules/functions/main.tf", t -> replace(t,
                        "watching the outbox (ADR 0014). The role may invoke exactly this ARN (iam.tf). \"\" (the CDC relay) = off.\n      RELAY_WAKE_UP_FUNCTION = local.relay_wake_up_target",
                        "watching the outbox (ADR 0014).\n      RELAY_WAKE_UP_FUNCTION = local.relay_alias_arn"),
                "modules/monitoring/main.tf", t -> replace(t, "  count               = var.lambda_relay ? 1 : 0\n", ""),
                "cdc.tf", t -> replace(t, "default     = \"lambda\"", "default     = \"msk_connect\"")));
        assertFindings(RelayModeGatingCheck.findings(edited),
                "module schedule count does not depend on local.lambda_relay",
                "RELAY_WAKE_UP_FUNCTION = ${local.relay_alias_arn} bypasses relay_mode",
                "aws_cloudwatch_metric_alarm relay_lag count does not depend on var.lambda_relay",
                "variable relay_mode must default to \"lambda\"");
    }

    @Test
    void cdcRetentionAndSlotGatesRemovedAreReported() throws IOException {
        TerraformFiles edited = editedTerraform(Map.of(
                "modules/functions/cdc_retention.tf", t -> replace(replace(t,
                        "resource \"aws_scheduler_schedule\" \"outbox_cdc_retention\" {\n  count               = local.cdc_retention ? 1 : 0\n",
                        "resource \"aws_scheduler_schedule\" \"outbox_cdc_retention\" {\n  count               = 1\n"),
                        "    variables = aws_lambda_function.outbox_relay.environment[0].variables",
                        "    variables = { DB_URL = var.db.url }"),
                "modules/functions/main.tf", t -> replace(t, "CDC_SLOT                          = var.cdc_slot",
                        "CDC_SLOT                          = \"outbox_relay\""),
                "main.tf", t -> replace(t, "cdc_slot           = local.cdc_slot", "cdc_slot           = \"outbox_relay\"")));
        assertFindings(RelayModeGatingCheck.findings(edited),
                "aws_scheduler_schedule outbox_cdc_retention count does not depend on local.cdc_retention",
                "(com.example.relay.CdcRetentionFunction): must get CDC_SLOT = ${var.cdc_slot}",
                "(com.example.relay.OutboxRelayFunction): must get CDC_SLOT = ${var.cdc_slot}",
                "module functions cdc_slot does not depend on local.cdc_slot");
    }

    // --- helpers -------------------------------------------------------------------------------------------------------

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new TreeMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /** Fails when the text to replace is gone, so an edit to the real Terraform cannot turn a test into a no-op. */
    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "fixture edit no longer applies: " + from);
        return text.replace(from, to);
    }

    private TerraformFiles editedTerraform(Map<String, UnaryOperator<String>> edits) throws IOException {
        Path source = REPO_ROOT.resolve("infra/terraform");
        Path copy = tmp.resolve("terraform");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                if (p.toString().contains(".terraform")) {
                    continue;
                }
                Path target = copy.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        for (var edit : edits.entrySet()) {
            Path edited = copy.resolve(edit.getKey());
            Files.writeString(edited, edit.getValue().apply(Files.readString(edited)));
        }
        TerraformFiles terraform = TerraformFiles.parse(copy);
        assertEquals(Map.of(), terraform.parseErrors());
        return terraform;
    }

    /** A ZIP of one jar holding a minimal class file (magic + version) for each class name. */
    private Path zip(List<String> classNames, int classVersion) throws IOException {
        Path jar = tmp.resolve("classes.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : classNames) {
                out.putNextEntry(new JarEntry(name.replace('.', '/') + ".class"));
                out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, (byte) classVersion});
                out.closeEntry();
            }
        }
        Path zip = tmp.resolve("plugin-" + classVersion + "-" + classNames.size() + ".zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("plugin/classes.jar"));
            Files.copy(jar, out);
            out.closeEntry();
        }
        return zip;
    }

    /** Exactly one finding per expected fragment, each fragment in a different finding. */
    private static void assertFindings(List<String> findings, String... expectedFragments) {
        assertEquals(expectedFragments.length, findings.size(), findings.toString());
        for (String fragment : expectedFragments) {
            assertEquals(1, findings.stream().filter(f -> f.contains(fragment)).count(), "expected '" + fragment + "' once in " + findings);
        }
    }

    private static void assertSingle(List<String> findings, String expectedFragment) {
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).contains(expectedFragment), "expected '" + expectedFragment + "' in " + findings);
    }
}
