package com.example.local;

import com.example.cdc.CdcRelay;
import com.example.cdc.CdcRelaySettings;
import com.example.cdc.OutboxConnectorConfig;
import com.example.order.jdbc.DatabaseSchema;
import com.example.servers.DataDirectory;
import com.example.servers.EmbeddedKafkaServer;
import com.example.servers.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Everything the service needs, in one process: PostgreSQL and Kafka (embedded unless given), the schema migrated
 * once by the deployable migration function, the three deployable Lambda jars each in its own execution
 * environment, and the AWS pieces that trigger them: the HTTP API (payload 2.0), the one-minute relay schedule, the
 * Kafka event source mapping, the Lambda Invoke API the functions' own AWS SDK clients call to wake the relay
 * (ADR 0014), and the reconciliation job's schedule (ADR 0071). With the CDC relay, the Debezium embedded engine
 * instead of the relay function, and the CDC retention job's schedule (ADR 0082).
 */
public final class LocalRuntime implements AutoCloseable {

    public static final String CREATE_ORDER_HANDLER = "com.example.createorder.CreateOrderFunction";
    public static final String RELAY_HANDLER = "com.example.relay.OutboxRelayFunction";
    public static final String CONSUMER_HANDLER = "com.example.cancel.CancelConsumerFunction";
    /** Invoked once at start, as Terraform invokes it once per deploy (ADR 0044). */
    public static final String MIGRATION_HANDLER = "com.example.migration.SchemaMigrationFunction";
    /** The reconciliation job's handler, in the relay's jar (ADR 0071). */
    public static final String RECONCILIATION_HANDLER = "com.example.relay.ReconciliationFunction";
    public static final String RECONCILIATION_FUNCTION = "outbox-reconciliation";
    /** The CDC relay's retention job, in the relay's jar; deployed only with the CDC relay (ADR 0082). */
    public static final String CDC_RETENTION_HANDLER = "com.example.relay.CdcRetentionFunction";
    public static final String CDC_RETENTION_FUNCTION = "outbox-cdc-retention";
    /** Terraform's default {@code cdc_retention_schedule_expression}, {@code rate(1 hour)}. */
    static final Duration CDC_RETENTION_INTERVAL = Duration.ofHours(1);
    public static final List<String> TOPICS = List.of("order.created", "order.cancelled", "order.cancelled.dlq");
    public static final String CONSUMER_GROUP = "cancel-consumer";
    /** The function names the local Invoke API knows, as in Terraform without the deployment's name prefix. */
    public static final String RELAY_FUNCTION = "outbox-relay";
    /** The region the functions' SDK clients sign for (any region works; nothing checks the signature). */
    static final String REGION = "us-east-1";

    /**
     * Which relay empties the outbox: the Lambda function ({@code POLLING}, the default, as Terraform deploys by
     * default) or the Debezium CDC relay ({@code CDC}, ADR 0080: embedded engine, PostgreSQL with
     * {@code wal_level=logical}; no relay function, schedule or wake-up, as in Terraform's MSK Connect mode).
     */
    public enum RelayMode {
        POLLING, CDC;

        /** {@code polling} or {@code cdc}, any case; the command line's {@code --relay} values. */
        public static RelayMode parse(String text) {
            for (RelayMode mode : values()) {
                if (mode.name().equalsIgnoreCase(text)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--relay must be polling or cdc, not " + text);
        }

        /** picocli's converter for {@code --relay}. */
        public static final class Converter implements picocli.CommandLine.ITypeConverter<RelayMode> {
            @Override
            public RelayMode convert(String value) {
                return parse(value);
            }
        }
    }

    /** How to start. {@code env} is the process environment (a parameter so tests can pass their own). */
    public record Options(Path dataDir, boolean fresh, int httpPort, int postgresPort, int kafkaPort, int partitions,
            Duration relayInterval, Duration relayTimeout, Duration reconciliationInterval, Map<String, String> env,
            RelayMode relay) {

        public Options(Path dataDir, boolean fresh, int httpPort, int postgresPort, int kafkaPort, int partitions,
                Duration relayInterval, Duration relayTimeout, Duration reconciliationInterval, Map<String, String> env) {
            this(dataDir, fresh, httpPort, postgresPort, kafkaPort, partitions, relayInterval, relayTimeout,
                    reconciliationInterval, env, RelayMode.POLLING);
        }

        /** The ports {@code bin/run-local} listens on unless told otherwise (0 in an option: any free port). */
        public static final int DEFAULT_HTTP_PORT = 8080;
        public static final int DEFAULT_POSTGRES_PORT = 15432;
        public static final int DEFAULT_KAFKA_PORT = 19092;

        /**
         * @throws IllegalArgumentException when {@code PORT}, {@code LOCAL_POSTGRES_PORT} or {@code LOCAL_KAFKA_PORT}
         *                                  is not a port number (0 to 65535)
         */
        public static Options defaults(Map<String, String> env) {
            return new Options(Path.of(env.getOrDefault("LOCAL_DATA_DIR", ".local-data")), false,
                    port(env, "PORT", DEFAULT_HTTP_PORT), port(env, "LOCAL_POSTGRES_PORT", DEFAULT_POSTGRES_PORT),
                    port(env, "LOCAL_KAFKA_PORT", DEFAULT_KAFKA_PORT), 6,
                    Duration.ofMinutes(1), Duration.ofSeconds(100), Duration.ofMinutes(1), env);
        }

        private static int port(Map<String, String> env, String name, int fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a port number from 0 (any free port) to 65535, was \""
                    + value + "\"");
        }

        public Options withRelay(RelayMode mode) {
            return new Options(dataDir, fresh, httpPort, postgresPort, kafkaPort, partitions, relayInterval, relayTimeout,
                    reconciliationInterval, env, mode);
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, fresh, httpPort, postgresPort, kafkaPort, partitions, relayInterval, relayTimeout,
                    reconciliationInterval, env, relay);
        }

        public Options withFresh(boolean f) {
            return new Options(dataDir, f, httpPort, postgresPort, kafkaPort, partitions, relayInterval, relayTimeout,
                    reconciliationInterval, env, relay);
        }

        public Options withPorts(int http, int postgres, int kafka) {
            return new Options(dataDir, fresh, http, postgres, kafka, partitions, relayInterval, relayTimeout,
                    reconciliationInterval, env, relay);
        }
    }

    /** Where the database is and how to log in. */
    public record Database(String jdbcUrl, String username, String password) {
        public PGSimpleDataSource dataSource() {
            var ds = new PGSimpleDataSource();
            ds.setUrl(jdbcUrl);
            ds.setUser(username);
            ds.setPassword(password);
            return ds;
        }
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private EmbeddedPostgresServer embeddedPostgres;
    private EmbeddedKafkaServer embeddedKafka;
    private Database database;
    private Path dataDir;
    private String bootstrapServers;
    private HttpApiGateway gateway;
    private LambdaInvokeServer lambdaApi;
    private DeployedFunction createOrder;
    private DeployedFunction relay;
    private CdcRelay cdcRelay;
    private DeployedFunction consumer;
    private DeployedFunction reconciliation;
    private DeployedFunction cdcRetention;

    private LocalRuntime() {
    }

    public static LocalRuntime start(Options options, PrintStream progress) {
        var runtime = new LocalRuntime();
        try {
            runtime.startAll(options, progress);
            return runtime;
        } catch (Exception e) {
            runtime.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private void startAll(Options options, PrintStream progress) throws IOException {
        database = externalDatabase(options.env());
        boolean startsKafka = blankToNull(options.env().get("KAFKA_BOOTSTRAP_SERVERS")) == null;
        // Before anything starts or --fresh deletes anything: a taken port (say, a second run) fails now, naming the
        // port and the option that moves it.
        var wanted = new ArrayList<LocalPorts.Wanted>();
        wanted.add(new LocalPorts.Wanted(options.httpPort(), "HTTP API", "--port=N (or PORT)"));
        if (database == null) {
            wanted.add(new LocalPorts.Wanted(options.postgresPort(), "embedded PostgreSQL",
                    "--postgres-port=N (or LOCAL_POSTGRES_PORT)"));
        }
        if (startsKafka) {
            wanted.add(new LocalPorts.Wanted(options.kafkaPort(), "embedded Kafka broker",
                    "--kafka-port=N (or LOCAL_KAFKA_PORT)"));
        }
        LocalPorts.requireFree(wanted);

        dataDir = options.dataDir().toAbsolutePath();
        if (options.fresh() && Files.exists(dataDir)) {
            progress.println("--fresh: deleting " + dataDir);
            DataDirectory.delete(dataDir);
        }
        Files.createDirectories(dataDir);

        if (database == null) {
            progress.println("Starting PostgreSQL (embedded, data in " + dataDir.resolve("postgres") + ") ...");
            // CDC reads the WAL through logical decoding (Aurora: rds.logical_replication = 1 in that mode).
            embeddedPostgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), options.postgresPort(),
                    options.relay() == RelayMode.CDC ? "logical" : "replica");
            resources.add(embeddedPostgres);
            database = new Database(embeddedPostgres.jdbcUrl(), embeddedPostgres.username(), embeddedPostgres.password());
        } else {
            progress.println("Using PostgreSQL at " + database.jdbcUrl());
        }
        bootstrapServers = blankToNull(options.env().get("KAFKA_BOOTSTRAP_SERVERS"));
        if (bootstrapServers == null) {
            progress.println("Starting Kafka (embedded KRaft broker, logs in " + dataDir.resolve("kafka") + ") ...");
            embeddedKafka = EmbeddedKafkaServer.start(dataDir.resolve("kafka"), options.kafkaPort());
            resources.add(embeddedKafka);
            bootstrapServers = embeddedKafka.bootstrapServers();
        } else {
            progress.println("Using Kafka at " + bootstrapServers);
        }
        createTopics(bootstrapServers, options.partitions(), TOPICS);

        var invokable = new java.util.concurrent.ConcurrentHashMap<String, LambdaFunction>();
        lambdaApi = LambdaInvokeServer.start(invokable, 0);
        resources.add(0, lambdaApi);
        configureFunctionEnvironment(options);
        Path functions = FunctionJars.extract(dataDir.resolve("functions"));
        migrate(functions.resolve(FunctionJars.MIGRATION_JAR), progress);
        progress.println("Starting the functions from their deployable jars in " + functions + " ...");
        createOrder = new DeployedFunction("create-order", functions.resolve("create-order-fn.jar"),
                CREATE_ORDER_HANDLER, Duration.ofSeconds(30), 4).warmUp();
        resources.add(0, createOrder);
        if (options.relay() == RelayMode.POLLING) {
            relay = new DeployedFunction(RELAY_FUNCTION, functions.resolve("outbox-relay-fn.jar"),
                    RELAY_HANDLER, options.relayTimeout(), 2).warmUp();
            resources.add(0, relay);
            invokable.put(RELAY_FUNCTION, relay);
        }
        consumer = new DeployedFunction("cancel-consumer", functions.resolve("cancel-consumer-fn.jar"),
                CONSUMER_HANDLER, Duration.ofSeconds(60), 1).warmUp();
        resources.add(0, consumer);

        gateway = HttpApiGateway.start(createOrder, options.httpPort());
        resources.add(0, gateway);
        resources.add(0, EsmPoller.start(EsmPoller.Settings.of(bootstrapServers, "order.cancelled", CONSUMER_GROUP), consumer));
        // The reconciliation job: a second handler in the relay's jar, on its own schedule (ADR 0071); with the CDC
        // relay it reads CDC_SLOT and checks the slot instead of row age (ADR 0082), as Terraform deploys it.
        reconciliation = new DeployedFunction(RECONCILIATION_FUNCTION, functions.resolve("outbox-relay-fn.jar"),
                RECONCILIATION_HANDLER, Duration.ofSeconds(120), 1);
        resources.add(0, reconciliation);
        resources.add(0, ScheduledInvocations.reconciliation(reconciliation, options.reconciliationInterval()));
        if (options.relay() == RelayMode.CDC) {
            // As Terraform's MSK Connect mode: no relay function, schedule or wake-up; the CDC retention job (a third
            // handler in the relay's jar, Terraform's timeout and default schedule) deletes captured rows instead.
            startCdcRelay(dataDir, progress);
            cdcRetention = new DeployedFunction(CDC_RETENTION_FUNCTION, functions.resolve("outbox-relay-fn.jar"),
                    CDC_RETENTION_HANDLER, Duration.ofSeconds(300), 1);
            resources.add(0, cdcRetention);
            resources.add(0, ScheduledInvocations.cdcRetention(cdcRetention, CDC_RETENTION_INTERVAL));
            return;
        }
        ScheduledInvocations schedule = ScheduledInvocations.relay(relay, options.relayInterval());
        resources.add(0, schedule);
        // Closed first: winds the relay's drain loop down before the poller and servers go.
        resources.add(0, () -> {
            schedule.close();
            relay.expireRunningInvocations();
        });
    }

    /**
     * The CDC relay with the shared connector and worker configuration (offset commit interval as on MSK Connect),
     * offsets in the data directory; returns once it streams.
     */
    private void startCdcRelay(Path dataDir, PrintStream progress) throws IOException {
        progress.println("Starting the CDC relay (Debezium embedded engine, replication slot "
                + OutboxConnectorConfig.get("slot.name") + ") ...");
        Files.createDirectories(dataDir.resolve("cdc"));
        cdcRelay = CdcRelay.start(CdcRelaySettings.of(database.jdbcUrl(), database.username(), database.password(),
                bootstrapServers, dataDir.resolve("cdc").resolve("offsets.dat")));
        resources.add(0, cdcRelay);
        try {
            cdcRelay.awaitStreaming(Duration.ofSeconds(120));
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Migrates the schema as a deploy does (ADR 0044): one synchronous invoke of SchemaMigrationFunction from
     * its own deployable jar (schema-migration-fn.jar), with the functions' environment, in an execution environment of its own that is then
     * closed. A failed migration stops the start, as it fails a Terraform apply.
     */
    private static void migrate(Path migrationJar, PrintStream progress) {
        progress.println("Migrating the schema (" + MIGRATION_HANDLER + " from " + migrationJar.getFileName()
                + ", as a deploy does) ...");
        try (var migration = new DeployedFunction("schema-migration", migrationJar, MIGRATION_HANDLER,
                Duration.ofSeconds(300), 1)) {
            byte[] applied = migration.invoke("{}".getBytes(StandardCharsets.UTF_8));
            progress.println("  applied: " + new String(applied, StandardCharsets.UTF_8));
        } catch (LambdaFunction.FunctionError e) {
            throw new IllegalStateException("Schema migration failed: " + e.errorJson(), e);
        }
    }

    /**
     * What Terraform sets as the functions' environment. Lambda gives each function its own variables; here the
     * functions share one JVM, so they are JVM system properties, which Micronaut reads like environment
     * variables. All names are either shared (DB_*, KAFKA_*) or prefixed per function, so sharing is harmless.
     */
    private void configureFunctionEnvironment(Options options) {
        System.setProperty("DB_URL", database.jdbcUrl());
        System.setProperty("DB_USERNAME", database.username());
        System.setProperty("DB_PASSWORD", database.password());
        System.setProperty("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // The relay runs with the defaults Terraform deploys (no override here). Writers wake it after their commits
        // through the real AWS SDK client, pointed at this process's Invoke API by the SDK's standard endpoint
        // override; the JVM system properties are the SDK's own twins of AWS_ENDPOINT_URL_LAMBDA, AWS_REGION and
        // the credential variables (nothing checks the dummy credentials). An explicit environment value wins.
        // In CDC mode there is no relay function to wake (blank: no wake-ups), as in Terraform's MSK Connect mode.
        setUnlessInEnvironment(options, "RELAY_WAKE_UP_FUNCTION", options.relay() == RelayMode.CDC ? ""
                : LambdaInvokeServer.aliasArn(REGION, RELAY_FUNCTION));
        // The connector's slot in CDC mode, "" otherwise, as Terraform sets CDC_SLOT from the same file (ADR 0082).
        setUnlessInEnvironment(options, "CDC_SLOT", options.relay() == RelayMode.CDC
                ? OutboxConnectorConfig.get("slot.name") : "");
        if (!options.env().containsKey("AWS_ENDPOINT_URL_LAMBDA") && !options.env().containsKey("AWS_ENDPOINT_URL")) {
            System.setProperty("aws.endpointUrlLambda", lambdaApi.endpoint());
        }
        if (!options.env().containsKey("AWS_REGION")) {
            System.setProperty("aws.region", REGION);
        }
        if (!options.env().containsKey("AWS_ACCESS_KEY_ID")) {
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
        }
        if (System.getProperty("logback.configurationFile") == null) {
            try (InputStream in = LocalRuntime.class.getResourceAsStream("/logback.xml")) {
                Path config = Files.createTempFile("local-runtime-logback", ".xml");
                Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
                config.toFile().deleteOnExit();
                System.setProperty("logback.configurationFile", config.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void setUnlessInEnvironment(Options options, String name, String value) {
        if (!options.env().containsKey(name)) {
            System.setProperty(name, value);
        }
    }

    /** DATABASE_URL (postgres://user:pass@host:port/db or a JDBC URL), else DB_URL/DB_USERNAME/DB_PASSWORD, else null. */
    static Database externalDatabase(Map<String, String> env) {
        String url = blankToNull(env.get("DATABASE_URL"));
        if (url != null && !url.startsWith("jdbc:")) {
            URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
            String user = "postgres";
            String password = "";
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : "";
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getPath() + (uri.getQuery() != null ? "?" + uri.getQuery() : "");
            return new Database(jdbc, user, password);
        }
        if (url == null) {
            url = blankToNull(env.get("DB_URL"));
        }
        if (url == null) {
            return null;
        }
        return new Database(url, env.getOrDefault("DB_USERNAME", "postgres"), env.getOrDefault("DB_PASSWORD", ""));
    }

    static void createTopics(String bootstrapServers, int partitions, List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topics " + topics + " on " + bootstrapServers, e);
        }
    }

    public int httpPort() {
        return gateway.port();
    }

    /** Where PostgreSQL data, Kafka logs and the extracted function jars live (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Database database() {
        return database;
    }

    /** The embedded PostgreSQL server, for restart checks; null when an external database is used. */
    public EmbeddedPostgresServer embeddedPostgres() {
        return embeddedPostgres;
    }

    /** The embedded broker, for outage demos; null when an external cluster is used. */
    public EmbeddedKafkaServer embeddedKafka() {
        return embeddedKafka;
    }

    public LambdaFunction createOrderFunction() {
        return createOrder;
    }

    /** The create-order function, e.g. for its execution environments. */
    public DeployedFunction createOrderDeployment() {
        return createOrder;
    }

    /** The reconciliation job (started by its first scheduled run), e.g. to invoke it now. */
    public DeployedFunction reconciliationFunction() {
        return reconciliation;
    }

    /** The cancel consumer function, e.g. for its execution environments. */
    public DeployedFunction consumerFunction() {
        return consumer;
    }

    /** The local Lambda Invoke API (what the functions' SDK clients call). */
    public LambdaInvokeServer lambdaApi() {
        return lambdaApi;
    }

    /** The CDC retention job (ADR 0082), e.g. to invoke it now; null unless {@link RelayMode#CDC}. */
    public DeployedFunction cdcRetentionFunction() {
        return cdcRetention;
    }

    /** The relay function, e.g. for its execution time; null in CDC mode. */
    public DeployedFunction relayFunction() {
        return relay;
    }

    /** The CDC relay; null unless {@link RelayMode#CDC}. */
    public CdcRelay cdcRelay() {
        return cdcRelay;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        resources.clear();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
