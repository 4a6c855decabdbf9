package com.example.cancel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.example.servers.TestLambdaContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ServiceLoader;

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
        return new TestLambdaContext("cancel-consumer-fn", Duration.ofSeconds(60));
    }
}
