package com.example.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar local-runtime.jar [run] [--fresh] [--port=8080] [--postgres-port=15432] [--kafka-port=19092]
 * [--data-dir=.local-data]}: starts everything and
 * prints how to use it. Other commands: {@code chaos}, {@code load-check}, {@code cancel <orderId> [reason]}.
 * {@code --help} on any of them lists its options.
 */
@Command(name = "local-runtime.jar", mixinStandardHelpOptions = true,
        description = "The order service on this machine: embedded PostgreSQL and Kafka, the three deployable Lambda"
                + " jars behind local stand-ins for API Gateway, EventBridge Scheduler and the event source mapping."
                + " Without a command it runs the system (same as 'run').",
        subcommands = {LocalRuntimeMain.Run.class, ChaosDemo.Cli.class, LoadCheck.Cli.class, CancelCommand.class},
        footer = {"", "Environment: DATABASE_URL or DB_URL/DB_USERNAME/DB_PASSWORD (existing PostgreSQL),%n",
                "KAFKA_BOOTSTRAP_SERVERS (existing Kafka), PORT, LOCAL_POSTGRES_PORT, LOCAL_KAFKA_PORT, LOCAL_DATA_DIR."})
public final class LocalRuntimeMain implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalRuntimeMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        return options.run(spec.commandLine());
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the whole system until Ctrl-C (the default).")
    static final class Run implements Callable<Integer> {
        @Mixin
        RunOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            return options.run(spec.commandLine());
        }
    }

    /** Options of {@code run}; unset ones keep the environment's values ({@link LocalRuntime.Options#defaults}). */
    static final class RunOptions {
        @Option(names = "--fresh", description = "delete the data directory first")
        boolean fresh;

        @Option(names = "--port", paramLabel = "PORT", description = "HTTP API port (default: $PORT or 8080; 0: any free port)")
        Integer port;

        @Option(names = "--postgres-port", paramLabel = "PORT",
                description = "embedded PostgreSQL's port (default: $LOCAL_POSTGRES_PORT or 15432; 0: any free port)")
        Integer postgresPort;

        @Option(names = "--kafka-port", paramLabel = "PORT",
                description = "embedded Kafka broker's port (default: $LOCAL_KAFKA_PORT or 19092; 0: any free port)")
        Integer kafkaPort;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "where PostgreSQL and Kafka keep data (default: $LOCAL_DATA_DIR or .local-data)")
        Path dataDir;

        @Option(names = "--relay", paramLabel = "polling|cdc", defaultValue = "polling",
                converter = LocalRuntime.RelayMode.Converter.class,
                description = "which relay empties the outbox: the Lambda relay (polling, default) or the Debezium CDC"
                        + " relay (cdc: embedded engine, PostgreSQL with wal_level=logical; ADR 0080)")
        LocalRuntime.RelayMode relay;

        LocalRuntime.Options resolve(Map<String, String> env) {
            var resolved = LocalRuntime.Options.defaults(env).withFresh(fresh).withRelay(relay);
            resolved = resolved.withPorts(port != null ? port : resolved.httpPort(),
                    postgresPort != null ? postgresPort : resolved.postgresPort(),
                    kafkaPort != null ? kafkaPort : resolved.kafkaPort());
            return dataDir == null ? resolved : resolved.withDataDir(dataDir);
        }

        /** Checks the options' ranges (picocli has parsed the numbers). */
        void validate(CommandLine commandLine) {
            for (var option : new Object[][] {{"--port", port}, {"--postgres-port", postgresPort}, {"--kafka-port", kafkaPort}}) {
                Integer value = (Integer) option[1];
                if (value != null && (value < 0 || value > 65_535)) {
                    throw new CommandLine.ParameterException(commandLine, option[0] + " must be a port number from 0"
                            + " (any free port) to 65535, was " + value);
                }
            }
        }

        int run(CommandLine commandLine) throws InterruptedException {
            validate(commandLine);
            long started = System.nanoTime();
            LocalRuntime.Options options;
            try {
                options = resolve(System.getenv());
            } catch (IllegalArgumentException e) { // PORT, LOCAL_POSTGRES_PORT or LOCAL_KAFKA_PORT not a port
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
            LocalRuntime runtime;
            try {
                runtime = LocalRuntime.start(options, System.out);
            } catch (LocalPorts.PortsInUseException e) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            var done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("\nStopping ...");
                runtime.close();
                System.out.println("Stopped.");
                done.countDown();
            }, "shutdown"));
            System.out.println(banner(runtime, (System.nanoTime() - started) / 1_000_000));
            done.await();
            return 0;
        }
    }

    static String banner(LocalRuntime runtime, long startMillis) {
        String base = runtime.baseUrl();
        String bootstrap = runtime.bootstrapServers();
        return """

                ==================================================================================
                 Order service is up (%d ms): the deployable Lambda jars on real PostgreSQL and Kafka
                ==================================================================================
                 HTTP API (API Gateway payload 2.0)  %s   (POST /orders, GET /orders/{id})
                 Data directory                       %s
                 Kafka bootstrap                      %s   topics: %s
                 JDBC                                 %s   (user %s)
                 Relay                                %s
                 Cancel consumer                      event source mapping on order.cancelled, group %s

                 1) Create an order (keeps its id in $ORDER_ID):
                    ORDER_ID=$(curl -s -X POST %s/orders -H 'Content-Type: application/json' -H "Idempotency-Key: demo-$RANDOM$RANDOM" \\
                      -d '{"customerId":"7d2c1a4e-5b6f-4c3d-9e8f-0a1b2c3d4e5f","items":[{"productId":"0f8e7d6c-5b4a-4321-8fed-cba987654321","quantity":2,"unitPrice":19.99}]}' \\
                      | sed -E 's/.*"orderId":"([^"]+)".*/\\1/'); echo "$ORDER_ID"
                 2) Read it:
                    curl -s %s/orders/$ORDER_ID
                 3) Cancel it through Kafka (topic order.cancelled, key = order id), with kcat:
                    echo "$ORDER_ID:{\\"orderId\\":\\"$ORDER_ID\\",\\"reason\\":\\"changed my mind\\"}" | kcat -P -b %s -t order.cancelled -K:
                    # or Kafka's console producer:
                    echo "$ORDER_ID:{\\"orderId\\":\\"$ORDER_ID\\",\\"reason\\":\\"changed my mind\\"}" | kafka-console-producer.sh \\
                      --bootstrap-server %s --topic order.cancelled --property parse.key=true --property key.separator=:
                    # or nothing installed:
                    bin/cancel $ORDER_ID "changed my mind" --bootstrap-servers=%s
                 Then 2) again shows "status":"CANCELLED".   Ctrl-C stops everything; data stays in the data dir.
                ==================================================================================
                """.formatted(startMillis, base, runtime.dataDir(), bootstrap, String.join(", ", LocalRuntime.TOPICS),
                runtime.database().jdbcUrl(), runtime.database().username(),
                runtime.cdcRelay() != null
                        ? "CDC: Debezium embedded engine on the replication slot (no relay function, schedule or wake-up)"
                        : "woken after each commit (Lambda Invoke API), and every 1 min (Scheduler input)",
                LocalRuntime.CONSUMER_GROUP, base, base, bootstrap, bootstrap, bootstrap);
    }
}
