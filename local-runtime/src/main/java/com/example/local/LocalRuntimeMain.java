package com.example.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local-runtime.jar [run] [--fresh] [--port=8080] [--data-dir=.local-data]}: starts everything and
 * prints how to use it. Other commands: {@code chaos}, {@code load-check}, {@code cancel <orderId> [reason]}.
 */
public final class LocalRuntimeMain {

    private LocalRuntimeMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String command = !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.remove(0) : "run";
        switch (command) {
            case "run" -> run(rest);
            case "chaos" -> System.exit(ChaosDemo.main(rest));
            case "load-check" -> System.exit(LoadCheck.main(rest));
            case "cancel" -> CancelCommand.main(rest);
            case "help", "-h", "--help" -> usage();
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.out.println("""
                usage: java -jar local-runtime.jar [run] [--fresh] [--port=8080] [--data-dir=.local-data]
                       java -jar local-runtime.jar chaos [--orders=20]
                       java -jar local-runtime.jar load-check [--orders=5000] [--rate=100]
                       java -jar local-runtime.jar cancel <orderId> [reason] [--bootstrap-servers=localhost:19092]
                environment: DATABASE_URL or DB_URL/DB_USERNAME/DB_PASSWORD (existing PostgreSQL),
                             KAFKA_BOOTSTRAP_SERVERS (existing Kafka), PORT, LOCAL_DATA_DIR""");
    }

    static void run(List<String> args) throws InterruptedException {
        var options = LocalRuntime.Options.defaults(System.getenv());
        for (String arg : args) {
            if (arg.equals("--fresh")) {
                options = options.withFresh(true);
            } else if (arg.startsWith("--port=")) {
                options = options.withPorts(Integer.parseInt(arg.substring(7)), options.postgresPort(), options.kafkaPort());
            } else if (arg.startsWith("--data-dir=")) {
                options = options.withDataDir(Path.of(arg.substring(11)));
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        long started = System.nanoTime();
        LocalRuntime runtime = LocalRuntime.start(options, System.out);
        var done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ...");
            runtime.close();
            System.out.println("Stopped.");
            done.countDown();
        }, "shutdown"));
        System.out.println(banner(runtime, (System.nanoTime() - started) / 1_000_000));
        done.await();
    }

    static String banner(LocalRuntime runtime, long startMillis) {
        String base = runtime.baseUrl();
        String bootstrap = runtime.bootstrapServers();
        return """

                ==================================================================================
                 Order service is up (%d ms): the deployable Lambda jars on real PostgreSQL and Kafka
                ==================================================================================
                 HTTP API (API Gateway payload 2.0)  %s   (POST /orders, GET /orders/{id})
                 Kafka bootstrap                      %s   topics: %s
                 JDBC                                 %s   (user %s)
                 Relay                                woken after each commit (Lambda Invoke API), and every 1 min (Scheduler input)
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
                    java -jar local-runtime/target/local-runtime.jar cancel $ORDER_ID "changed my mind" --bootstrap-servers=%s
                 Then 2) again shows "status":"CANCELLED".   Ctrl-C stops everything; data stays in the data dir.
                ==================================================================================
                """.formatted(startMillis, base, bootstrap, String.join(", ", LocalRuntime.TOPICS),
                runtime.database().jdbcUrl(), runtime.database().username(), LocalRuntime.CONSUMER_GROUP,
                base, base, bootstrap, bootstrap, bootstrap);
    }
}
