package com.example.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The event source mapping stand-in on its own, against a DEPLOYED function (LocalStack's free tier has no Kafka
 * event source mappings): reads a topic and invokes the function through the Lambda Invoke API.
 *
 * <pre>
 * java -cp local-runtime.jar com.example.local.EsmPollerMain --bootstrap-servers=kafka:9092 --topic=order.cancelled \
 *   --group-id=cancel-consumer --function-name=orders-local-cancel-consumer:live \
 *   --lambda-endpoint=http://localstack:4566 --batch-size=100
 * </pre>
 * Every option may come from the environment instead: KAFKA_BOOTSTRAP_SERVERS, ESM_TOPIC, ESM_GROUP_ID,
 * ESM_FUNCTION_NAME, AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_LAMBDA), ESM_BATCH_SIZE, ESM_BATCHING_WINDOW_MS.
 * Credentials and region: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION.
 */
public final class EsmPollerMain {

    private EsmPollerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args, System.getenv());
        String bootstrap = required(options, "bootstrap-servers");
        String functionName = required(options, "function-name");
        var settings = new EsmPoller.Settings(bootstrap,
                options.getOrDefault("topic", "order.cancelled"),
                options.getOrDefault("group-id", "cancel-consumer"),
                Integer.parseInt(options.getOrDefault("batch-size", "100")),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("batching-window-ms", "500"))),
                Map.of());
        var function = LambdaInvokeApi.create(options.get("lambda-endpoint"), functionName);
        System.out.printf("ESM poller: %s (group %s) on %s -> Lambda %s%n", settings.topic(), settings.groupId(),
                bootstrap, function.name());
        EsmPoller poller = EsmPoller.start(settings, function);
        Runtime.getRuntime().addShutdownHook(new Thread(poller::close));
        poller.awaitStopped();
        // Reaching here without Ctrl-C means the poller died: exit non-zero so the container restarts.
        System.exit(1);
    }

    static Map<String, String> parse(String[] args, Map<String, String> env) {
        var options = new HashMap<String, String>();
        putIfSet(options, "bootstrap-servers", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        putIfSet(options, "topic", env.get("ESM_TOPIC"));
        putIfSet(options, "group-id", env.get("ESM_GROUP_ID"));
        putIfSet(options, "function-name", env.get("ESM_FUNCTION_NAME"));
        putIfSet(options, "lambda-endpoint", env.getOrDefault("AWS_ENDPOINT_URL_LAMBDA", env.get("AWS_ENDPOINT_URL")));
        putIfSet(options, "batch-size", env.get("ESM_BATCH_SIZE"));
        putIfSet(options, "batching-window-ms", env.get("ESM_BATCHING_WINDOW_MS"));
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Options look like --name=value; got " + arg);
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }

    private static void putIfSet(Map<String, String> options, String key, String value) {
        if (value != null && !value.isBlank()) {
            options.put(key, value);
        }
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            System.err.println("missing --" + key + "=...");
            System.exit(2);
        }
        return value;
    }
}
