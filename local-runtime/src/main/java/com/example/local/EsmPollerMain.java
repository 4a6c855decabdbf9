package com.example.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
@Command(name = "esm-poller", mixinStandardHelpOptions = true,
        description = "The event source mapping stand-in: reads a Kafka topic and invokes a deployed Lambda function"
                + " with the ESM's KafkaEvent batches, honouring batchItemFailures. Every option can come from the"
                + " environment variable named in its description.")
public final class EsmPollerMain implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers ($KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "${env:ESM_TOPIC:-order.cancelled}", description = "($ESM_TOPIC, default order.cancelled)")
    String topic;

    @Option(names = "--group-id", defaultValue = "${env:ESM_GROUP_ID:-cancel-consumer}", description = "($ESM_GROUP_ID, default cancel-consumer)")
    String groupId;

    @Option(names = "--function-name", required = true, defaultValue = "${env:ESM_FUNCTION_NAME}",
            description = "function name or ARN, with alias, e.g. orders-local-cancel-consumer:live ($ESM_FUNCTION_NAME)")
    String functionName;

    @Option(names = "--lambda-endpoint", defaultValue = "${env:AWS_ENDPOINT_URL_LAMBDA:-${env:AWS_ENDPOINT_URL}}",
            description = "Lambda API endpoint ($AWS_ENDPOINT_URL_LAMBDA or $AWS_ENDPOINT_URL; unset: AWS itself)")
    String lambdaEndpoint;

    @Option(names = "--batch-size", defaultValue = "${env:ESM_BATCH_SIZE:-100}", description = "($ESM_BATCH_SIZE, default 100)")
    int batchSize;

    @Option(names = "--batching-window-ms", defaultValue = "${env:ESM_BATCHING_WINDOW_MS:-500}",
            description = "($ESM_BATCHING_WINDOW_MS, default 500)")
    long batchingWindowMillis;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EsmPollerMain()).execute(args));
    }

    EsmPoller.Settings settings() {
        return new EsmPoller.Settings(bootstrapServers, topic, groupId, batchSize, Duration.ofMillis(batchingWindowMillis), Map.of());
    }

    @Override
    public Integer call() throws Exception {
        var settings = settings();
        var function = LambdaInvokeApi.create(lambdaEndpoint, functionName);
        System.out.printf("ESM poller: %s (group %s) on %s -> Lambda %s%n", settings.topic(), settings.groupId(),
                bootstrapServers, function.name());
        EsmPoller poller = EsmPoller.start(settings, function);
        Runtime.getRuntime().addShutdownHook(new Thread(poller::close));
        poller.awaitStopped();
        // Reaching here without Ctrl-C means the poller died: exit non-zero so the container restarts.
        return 1;
    }
}
