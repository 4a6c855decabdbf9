package com.example.bench;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One simulated Lambda execution environment of the payload-2.0 handler: the deployable jar in a class loader of its
 * own (parent: the platform loader, as local-runtime's DeployedFunction does), one handler instance built by its no-arg
 * constructor, and the runtime's built-in event serialisation (create-order-fn ships no CustomPojoSerializer). Each
 * invocation is timed in three phases: event JSON to {@code APIGatewayV2HTTPEvent}, {@code handleRequest}, response
 * object to JSON.
 */
final class HandlerEnvironment implements AutoCloseable {

    static final String HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";
    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";

    /** Per-invocation phase times in nanoseconds, and the HTTP status the handler answered. */
    record Timing(long eventIn, long handle, long responseOut, int status) {
    }

    private final URLClassLoader loader;
    private final Object handler;
    private final Method handleRequest;
    private final Method statusCode;
    private final Object context;
    @SuppressWarnings("rawtypes")
    private final PojoSerializer in;
    @SuppressWarnings("rawtypes")
    private final PojoSerializer out;

    HandlerEnvironment(Path jar) throws Exception {
        loader = new URLClassLoader("create-order-fn", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> eventType = loader.loadClass(EVENTS + "APIGatewayV2HTTPEvent");
            Class<?> responseType = loader.loadClass(EVENTS + "APIGatewayV2HTTPResponse");
            Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
            in = LambdaEventSerializers.serializerFor(eventType, loader);
            out = LambdaEventSerializers.serializerFor(responseType, loader);
            handler = loader.loadClass(HANDLER).getConstructor().newInstance();
            handleRequest = loader.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler")
                    .getMethod("handleRequest", Object.class, contextType);
            statusCode = responseType.getMethod("getStatusCode");
            String requestId = UUID.randomUUID().toString();
            // Lambda's Context always has a logger (the function's own log lines go through logback to stdout).
            Class<?> loggerType = loader.loadClass("com.amazonaws.services.lambda.runtime.LambdaLogger");
            Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (proxy, method, args) ->
                    switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "bench-logger";
                        default -> null;
                    });
            context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, args) ->
                    switch (method.getName()) {
                        case "getAwsRequestId" -> requestId;
                        case "getFunctionName" -> "create-order";
                        case "getRemainingTimeInMillis" -> 30_000;
                        case "getMemoryLimitInMB" -> 1024;
                        case "getLogger" -> logger;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "bench-context";
                        default -> null;
                    });
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Could not start the handler from " + jar, e.getCause());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @SuppressWarnings("unchecked")
    Timing invoke(byte[] eventJson) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            long t0 = System.nanoTime();
            Object event = in.fromJson(new ByteArrayInputStream(eventJson));
            long t1 = System.nanoTime();
            Object response;
            try {
                response = handleRequest.invoke(handler, event, context);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("handler threw", e.getCause());
            }
            long t2 = System.nanoTime();
            var bytes = new ByteArrayOutputStream(1024);
            out.toJson(response, bytes);
            long t3 = System.nanoTime();
            return new Timing(t1 - t0, t2 - t1, t3 - t2, (Integer) statusCode.invoke(response));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public void close() throws Exception {
        if (handler instanceof AutoCloseable closeable) {
            closeable.close();
        }
        loader.close();
    }
}
