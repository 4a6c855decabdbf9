package com.example.cancel;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * Does what the Lambda Java runtime does around our handler: JSON in through the {@link CustomPojoSerializer} found
 * on the class path (micronaut-aws-lambda-events-serde's), handler, JSON out through the same serializer.
 */
final class LambdaRuntime {

    private static final CustomPojoSerializer SERIALIZER = loadSerializer();

    /** Like the runtime: the handler class is initialised before the serializer is created. */
    private static CustomPojoSerializer loadSerializer() {
        try {
            Class.forName(CancelConsumerFunction.class.getName(), true, LambdaRuntime.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();
    }

    private LambdaRuntime() {
    }

    static KafkaEvent kafkaEvent(String json) {
        return SERIALIZER.fromJson(json, KafkaEvent.class);
    }

    static String toJson(Object value, Class<?> type) {
        var out = new ByteArrayOutputStream();
        SERIALIZER.toJson(value, out, type);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Invokes the handler with the event JSON as Lambda would and returns the response JSON. */
    static String invoke(CancelConsumerFunction function, String eventJson) {
        KafkaBatchResponse response = function.handleRequest(kafkaEvent(eventJson), context());
        return toJson(response, KafkaBatchResponse.class);
    }

    static Context context() {
        return new Context() {
            private final String requestId = UUID.randomUUID().toString();

            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/cancel-consumer-fn"; }
            @Override public String getLogStreamName() { return "2026/11/23/[$LATEST]test"; }
            @Override public String getFunctionName() { return "cancel-consumer-fn"; }
            @Override public String getFunctionVersion() { return "1"; }
            @Override public String getInvokedFunctionArn() {
                return "arn:aws:lambda:eu-west-1:123456789012:function:cancel-consumer-fn:live";
            }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 60_000; }
            @Override public int getMemoryLimitInMB() { return 512; }
            @Override public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override public void log(String message) { System.out.println(message); }
                    @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }
}
