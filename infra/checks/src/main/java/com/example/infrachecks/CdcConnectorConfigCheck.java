package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CDC relay as Terraform deploys it (relay_mode = "msk_connect", {@code infra/terraform/modules/cdc}), checked
 * against the plugin ZIP it uploads:
 * <ul>
 *   <li>the ZIP is the one the build makes and carries the connector, the router and the IAM login ({@link CdcPluginZip});</li>
 *   <li>the connector configuration is {@code merge(<shared outbox-connector.json>, <AWS settings>)} and reaches
 *       {@code aws_mskconnect_connector}; the ZIP reaches the custom plugin through {@code aws_s3_object};</li>
 *   <li>every property name of that configuration is defined by the class it configures, as loaded from the ZIP on
 *       Kafka Connect 3.7 ({@link ConnectPluginClasses}): the connector, each transformation (the Outbox Event Router),
 *       each converter, or Kafka Connect's source-connector configuration; every worker property by Kafka Connect's
 *       distributed worker configuration;</li>
 *   <li>the connector is the PostgreSQL connector and one transformation is the Outbox Event Router;</li>
 *   <li>each worker config provider is a {@code ConfigProvider} in the ZIP; each {@code ${provider:path:key}} in the
 *       connector configuration names a declared provider; {@code database.password} is such a reference, never a
 *       value (ADR 0081: the password must not be stored in MSK Connect's configuration).</li>
 * </ul>
 * A misspelt property is otherwise ignored by Kafka Connect with at most a warning, so the relay would run with a default.
 */
public final class CdcConnectorConfigCheck {

    public static final String MODULE_DIR = "modules/cdc";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code "${var.repo_root}/<path>"}: one leading interpolation, then a literal path. */
    private static final Pattern REPO_PATH = Pattern.compile("^\\$\\{var\\.repo_root}/([^$]+)$");
    private static final List<String> CONVERTER_PREFIXES = List.of("key.converter", "value.converter", "header.converter");

    private CdcConnectorConfigCheck() {
    }

    /**
     * What the cdc module deploys, read without terraform.
     *
     * @param pluginZip             repository-relative path of the plugin ZIP ({@code local.plugin_zip})
     * @param commonConnectorFile   repository-relative path of the shared connector JSON ({@code local.common_connector_file})
     * @param awsConnectorSettings  {@code local.connector_aws}: property -> value (an expression stays {@code ${...}})
     * @param commonWorkerFile      repository-relative path of the shared worker JSON ({@code local.common_worker_file})
     * @param workerProperties      {@code local.worker_aws}: property -> value (the shared file's are added by
     *                              {@link #workerProperties(Path)})
     * @param problems              what could not be read, or is wired differently from the description above
     */
    public record Deployment(Optional<String> pluginZip, Optional<String> commonConnectorFile,
                             Map<String, String> awsConnectorSettings, Optional<String> commonWorkerFile,
                             Map<String, String> workerProperties, List<String> problems) {

        /** {@code merge(local.worker_common, local.worker_aws)} as deployed, read from the repository. */
        public Map<String, String> workerProperties(Path repoRoot) throws IOException {
            var problems = new ArrayList<String>();
            Map<String, String> merged = new TreeMap<>(commonWorkerFile.isEmpty() ? Map.of()
                    : readFlatJson(repoRoot.resolve(commonWorkerFile.get()), problems));
            if (!problems.isEmpty()) {
                throw new IOException(String.join("; ", problems));
            }
            merged.putAll(workerProperties);
            return merged;
        }
    }

    public static Deployment read(TerraformFiles terraform) {
        Map<String, JsonNode> locals = new LinkedHashMap<>();
        List<TerraformFiles.Resource> connectors = new ArrayList<>();
        List<TerraformFiles.Resource> objects = new ArrayList<>();
        List<TerraformFiles.Resource> plugins = new ArrayList<>();
        terraform.parsed().forEach((file, json) -> {
            if (!ModuleWiringCheck.directoryOf(file).equals(MODULE_DIR)) {
                return;
            }
            for (JsonNode block : json.path("locals")) {
                block.fields().forEachRemaining(e -> locals.put(e.getKey(), e.getValue()));
            }
        });
        for (TerraformFiles.Resource r : terraform.resources("aws_mskconnect_connector")) {
            connectors.add(r);
        }
        for (TerraformFiles.Resource r : terraform.resources("aws_s3_object")) {
            objects.add(r);
        }
        for (TerraformFiles.Resource r : terraform.resources("aws_mskconnect_custom_plugin")) {
            plugins.add(r);
        }
        List<String> problems = new ArrayList<>();
        Optional<String> zip = repoPath(locals, "plugin_zip", problems);
        Optional<String> common = repoPath(locals, "common_connector_file", problems);
        expect(locals, "connector_common", "file(local.common_connector_file)", problems);
        expect(locals, "connector_configuration", "merge(local.connector_common, local.connector_aws)", problems);
        Map<String, String> aws = literalMap(locals, "connector_aws", problems);
        Optional<String> commonWorker = repoPath(locals, "common_worker_file", problems);
        expect(locals, "worker_common", "file(local.common_worker_file)", problems);
        expect(locals, "worker_properties", "merge(local.worker_common, local.worker_aws)", problems);
        Map<String, String> worker = literalMap(locals, "worker_aws", problems);
        if (connectors.size() != 1) {
            problems.add(MODULE_DIR + ": expected one aws_mskconnect_connector, found " + connectors.size());
        } else if (!connectors.get(0).body().path("connector_configuration").asText().equals("${local.connector_configuration}")) {
            problems.add(connectors.get(0).address() + ": connector_configuration must be local.connector_configuration (the checked merge)");
        }
        if (objects.size() != 1 || !objects.get(0).body().path("source").asText().equals("${local.plugin_zip}")) {
            problems.add(MODULE_DIR + ": the plugin's aws_s3_object must upload source = local.plugin_zip");
        }
        if (plugins.size() != 1 || !plugins.get(0).body().toString().contains("aws_s3_object.")) {
            problems.add(MODULE_DIR + ": aws_mskconnect_custom_plugin must be located at the uploaded aws_s3_object");
        }
        return new Deployment(zip, common, aws, commonWorker, worker, problems);
    }

    /**
     * @param workerJarsDir the Kafka Connect jars the plugin runs on (system property {@code msk.connect.runtime})
     */
    public static List<String> findings(TerraformFiles terraform, Path repoRoot, Path workerJarsDir) throws IOException {
        Deployment deployment = read(terraform);
        List<String> findings = new ArrayList<>(deployment.problems());
        if (deployment.pluginZip().isEmpty() || deployment.commonConnectorFile().isEmpty()) {
            return findings;
        }
        Path zip = repoRoot.resolve(deployment.pluginZip().get());
        if (!Files.isRegularFile(zip)) {
            findings.add(MODULE_DIR + ": plugin " + deployment.pluginZip().get() + " does not exist (run ./mvnw package, or fix the path)");
            return findings;
        }
        findings.addAll(CdcPluginZip.findings(zip));
        Path commonFile = repoRoot.resolve(deployment.commonConnectorFile().get());
        Map<String, String> configuration = new TreeMap<>(readFlatJson(commonFile, findings));
        configuration.putAll(deployment.awsConnectorSettings());
        Map<String, String> worker = new TreeMap<>(deployment.workerProperties());
        if (deployment.commonWorkerFile().isPresent()) {
            worker.putAll(readFlatJson(repoRoot.resolve(deployment.commonWorkerFile().get()), findings));
            worker.putAll(deployment.workerProperties());
        }
        try (ConnectPluginClasses classes = ConnectPluginClasses.open(zip, workerJarsDir)) {
            findings.addAll(connectorFindings(configuration, classes));
            findings.addAll(workerFindings(worker, classes));
        }
        findings.addAll(secretReferenceFindings(configuration, worker));
        return findings;
    }

    /**
     * {@code ${provider:path:key}} (Kafka's ConfigTransformer syntax). In Terraform the literal is written {@code $${},
     * and the path may itself be an interpolation ({@code ${aws_secretsmanager_secret.x.name}}).
     */
    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\$?\\{([A-Za-z0-9_.-]+):((?:\\$\\{[^}]*}|[^}:])*):([^}]*)}");
    static final String PASSWORD = "database.password";

    /** References to config providers in the connector configuration, against the worker's declared providers. */
    public static List<String> secretReferenceFindings(Map<String, String> connector, Map<String, String> worker) {
        List<String> findings = new ArrayList<>();
        List<String> declared = list(worker.get("config.providers"));
        connector.forEach((key, value) -> {
            Matcher m = PROVIDER_REFERENCE.matcher(value);
            while (m.find()) {
                if (!declared.contains(m.group(1))) {
                    findings.add(key + " refers to config provider " + m.group(1) + ", which the worker configuration does not declare (config.providers = " + declared + ")");
                }
            }
        });
        String password = connector.get(PASSWORD);
        if (password == null || !PROVIDER_REFERENCE.matcher(password).matches()) {
            findings.add(PASSWORD + " must be a ${<provider>:<secret name>:<key>} reference resolved by the workers, not a value stored in the connector configuration");
        }
        return findings;
    }

    /** Every property of a connector configuration, checked against the classes it configures. */
    public static List<String> connectorFindings(Map<String, String> config, ConnectPluginClasses classes) {
        List<String> findings = new ArrayList<>();
        String connectorClass = config.get("connector.class");
        if (!CdcPluginZip.CONNECTOR_CLASS.equals(connectorClass)) {
            findings.add("connector.class is " + connectorClass + ", not " + CdcPluginZip.CONNECTOR_CLASS);
            return findings;
        }
        Set<String> connector = classes.connectorConfigNames(connectorClass);
        String debezium = "Debezium " + classes.connectorVersion(connectorClass);
        Set<String> framework = classes.sourceConnectorFrameworkNames();
        List<String> transforms = list(config.get("transforms"));
        List<String> predicates = list(config.get("predicates"));
        if (transforms.stream().noneMatch(a -> CdcPluginZip.OUTBOX_ROUTER_CLASS.equals(config.get("transforms." + a + ".type")))) {
            findings.add("no transformation is the Outbox Event Router (" + CdcPluginZip.OUTBOX_ROUTER_CLASS + "): transforms = " + transforms);
        }
        findings.addAll(converterClasses(config, classes));
        for (String key : config.keySet()) {
            if (framework.contains(key) || connector.contains(key)) {
                continue;
            }
            String verdict = pluggable(key, "transforms", transforms, Set.of("type", "predicate", "negate"), config, classes);
            if (verdict == null) {
                verdict = pluggable(key, "predicates", predicates, Set.of("type"), config, classes);
            }
            if (verdict == null) {
                verdict = converterProperty(key, config, classes);
            }
            if (verdict == null && perTableSnapshotOverride(key, config)) {
                verdict = "";
            }
            if (verdict == null) {
                verdict = key + " is not a property of " + debezium + "'s PostgresConnector nor of Kafka Connect's source connector configuration";
            }
            if (!verdict.isEmpty()) {
                findings.add(verdict);
            }
        }
        return findings;
    }

    /** Every worker property, checked against Kafka Connect's distributed worker configuration and the converters'. */
    /**
     * The {@code producer.*} worker properties MSK Connect accepts (AWS, MSK Connect developer guide, "Supported worker
     * configuration properties"); any other is refused when the worker configuration is created.
     */
    static final Set<String> MSK_CONNECT_WORKER_PRODUCER_PROPERTIES = Set.of("acks", "batch.size", "buffer.memory",
            "compression.type", "enable.idempotence", "key.serializer", "linger.ms", "max.request.size",
            "metadata.max.age.ms", "metadata.max.idle.ms", "partitioner.class", "reconnect.backoff.max.ms",
            "reconnect.backoff.ms", "request.timeout.ms", "retry.backoff.ms", "value.serializer");

    public static List<String> workerFindings(Map<String, String> worker, ConnectPluginClasses classes) {
        List<String> findings = new ArrayList<>();
        converterClasses(worker, classes).forEach(f -> findings.add("worker configuration: " + f));
        Set<String> names = classes.distributedWorkerNames();
        List<String> providers = list(worker.get("config.providers"));
        for (String provider : providers) {
            String type = worker.get("config.providers." + provider + ".class");
            if (type == null || !classes.isConfigProvider(type)) {
                findings.add("worker configuration: config.providers." + provider + ".class = " + type
                        + " is no ConfigProvider in the plugin");
            }
        }
        // At least once and in order per aggregate: every replica acknowledges, and retries never duplicate or
        // reorder (Kafka Connect itself keeps one request in flight and retries without limit; ADR 0082).
        for (var required : Map.of("producer.acks", "all", "producer.enable.idempotence", "true").entrySet()) {
            if (!required.getValue().equals(worker.get(required.getKey()))) {
                findings.add("worker configuration: " + required.getKey() + " must be " + required.getValue()
                        + " (at least once, in order per aggregate), found " + worker.get(required.getKey()));
            }
        }
        Set<String> producer = classes.producerNames();
        for (String key : worker.keySet()) {
            if (names.contains(key)) {
                continue;
            }
            if (key.startsWith("producer.")) {
                String property = key.substring("producer.".length());
                if (!producer.contains(property)) {
                    findings.add("worker configuration: " + key + ": " + property + " is not a Kafka producer property");
                } else if (!MSK_CONNECT_WORKER_PRODUCER_PROPERTIES.contains(property)) {
                    findings.add("worker configuration: " + key + " is not among the producer properties MSK Connect"
                            + " accepts in a worker configuration " + MSK_CONNECT_WORKER_PRODUCER_PROPERTIES);
                }
                continue;
            }
            if (key.startsWith("config.providers.")) {
                String rest = key.substring("config.providers.".length());
                boolean declared = providers.stream().anyMatch(p -> rest.equals(p + ".class") || rest.startsWith(p + ".param."));
                if (!declared) {
                    findings.add("worker configuration: " + key + " is neither <provider>.class nor <provider>.param.* of a provider listed in config.providers " + providers);
                }
                continue;
            }
            String verdict = converterProperty(key, worker, classes);
            if (verdict == null) {
                verdict = key + " is not a property of a Kafka Connect distributed worker";
            }
            if (!verdict.isEmpty()) {
                findings.add("worker configuration: " + verdict);
            }
        }
        return findings;
    }

    /** {@code <kind>.<alias>.<property>}: null when the key is not of that kind, "" when it is defined, else the problem. */
    private static String pluggable(String key, String kind, List<String> aliases, Set<String> frameworkSuffixes,
                                    Map<String, String> config, ConnectPluginClasses classes) {
        if (!key.startsWith(kind + ".")) {
            return null;
        }
        String rest = key.substring(kind.length() + 1);
        String alias = aliases.stream().filter(a -> rest.startsWith(a + ".")).findFirst().orElse(null);
        if (alias == null) {
            return key + " names no alias listed in " + kind + " " + aliases;
        }
        String property = rest.substring(alias.length() + 1);
        String type = config.get(kind + "." + alias + ".type");
        if (type == null || !classes.canLoad(type)) {
            return key + ": " + kind + "." + alias + ".type = " + type + " is no class in the plugin or the worker";
        }
        if (frameworkSuffixes.contains(property)) {
            return "";
        }
        return classes.pluginConfigNames(type).contains(property) ? "" : key + ": " + property + " is not a property of " + type;
    }

    /** {@code key.converter.<property>} and the like: null when the key is not one, "" when defined, else the problem. */
    private static String converterProperty(String key, Map<String, String> config, ConnectPluginClasses classes) {
        for (String prefix : CONVERTER_PREFIXES) {
            if (key.startsWith(prefix + ".")) {
                String type = config.get(prefix);
                if (type == null || !classes.canLoad(type)) {
                    return key + ": " + prefix + " = " + type + " is no class in the plugin or the worker";
                }
                String property = key.substring(prefix.length() + 1);
                return classes.pluginConfigNames(type).contains(property) ? "" : key + ": " + property + " is not a property of " + type;
            }
        }
        return null;
    }

    private static List<String> converterClasses(Map<String, String> config, ConnectPluginClasses classes) {
        List<String> findings = new ArrayList<>();
        for (String prefix : CONVERTER_PREFIXES) {
            String type = config.get(prefix);
            if (type != null && !classes.canLoad(type)) {
                findings.add(prefix + " = " + type + " is no class in the plugin or the worker");
            }
        }
        return findings;
    }

    private static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> readFlatJson(Path file, List<String> findings) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            findings.add(MODULE_DIR + ": shared connector configuration " + file.getFileName() + " does not exist");
            return values;
        }
        JsonNode json = JSON.readTree(file.toFile());
        if (!json.isObject()) {
            findings.add(file.getFileName() + ": must be one flat JSON object of connector properties");
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                findings.add(file.getFileName() + ": " + e.getKey() + " must be a string, number or boolean, not " + e.getValue().getNodeType());
            }
            values.put(e.getKey(), e.getValue().asText());
        }
        return values;
    }

    private static Optional<String> repoPath(Map<String, JsonNode> locals, String name, List<String> problems) {
        JsonNode value = locals.get(name);
        Matcher m = value == null ? null : REPO_PATH.matcher(value.asText());
        if (m == null || !m.matches()) {
            problems.add(MODULE_DIR + ": local." + name + " must be \"${var.repo_root}/<path>\", found " + value);
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }

    private static void expect(Map<String, JsonNode> locals, String name, String fragment, List<String> problems) {
        JsonNode value = locals.get(name);
        if (value == null || !value.asText().replace(" ", "").contains(fragment.replace(" ", ""))) {
            problems.add(MODULE_DIR + ": local." + name + " must use " + fragment + ", found " + value);
        }
    }

    private static Map<String, String> literalMap(Map<String, JsonNode> locals, String name, List<String> problems) {
        JsonNode value = locals.get(name);
        Map<String, String> map = new TreeMap<>();
        if (value == null || !value.isObject()) {
            problems.add(MODULE_DIR + ": local." + name + " must be a literal map so its keys can be checked, found " + value);
            return map;
        }
        value.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /**
     * Debezium's per-table property {@code snapshot.select.statement.overrides.<table>}: defined by name pattern, not in
     * the connector's ConfigDef, and valid only for a table listed in {@code snapshot.select.statement.overrides}.
     */
    static boolean perTableSnapshotOverride(String key, Map<String, String> config) {
        String prefix = "snapshot.select.statement.overrides.";
        if (!key.startsWith(prefix)) {
            return false;
        }
        String listed = config.getOrDefault("snapshot.select.statement.overrides", "");
        return java.util.Arrays.stream(listed.split(",")).map(String::trim).anyMatch(key.substring(prefix.length())::equals);
    }
}
