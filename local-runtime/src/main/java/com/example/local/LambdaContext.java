package com.example.local;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code com.amazonaws.services.lambda.runtime.Context} one invocation gets. Built as a dynamic proxy of the
 * interface loaded by the function's own class loader (the runtime's classes are not shared with it).
 * {@code getRemainingTimeInMillis()} counts down from the timeout like Lambda's, so the relay's drain loop stops
 * where it would in AWS; {@link #expireNow()} makes it read 0 (used on shutdown).
 */
final class LambdaContext {

    private final String functionName;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadlineNanos;
    private final Duration timeout;
    private final AtomicBoolean expired = new AtomicBoolean();

    LambdaContext(String functionName, Duration timeout) {
        this.functionName = functionName;
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    String requestId() {
        return requestId;
    }

    int remainingMillis() {
        if (expired.get()) {
            return 0;
        }
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    void expireNow() {
        expired.set(true);
    }

    /** A proxy implementing the function class loader's {@code Context} interface. */
    Object asProxy(ClassLoader functionLoader) throws ClassNotFoundException {
        Class<?> contextType = functionLoader.loadClass("com.amazonaws.services.lambda.runtime.Context");
        Class<?> loggerType = functionLoader.loadClass("com.amazonaws.services.lambda.runtime.LambdaLogger");
        Object logger = Proxy.newProxyInstance(functionLoader, new Class<?>[] {loggerType}, (proxy, method, args) -> {
            if (method.getName().equals("log") && args != null && args.length > 0) {
                Object message = args[0];
                System.out.print(message instanceof byte[] bytes ? new String(bytes) : String.valueOf(message));
                return null;
            }
            return defaultFor(method.getReturnType(), proxy, method.getName());
        });
        return Proxy.newProxyInstance(functionLoader, new Class<?>[] {contextType}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getLogGroupName" -> "/aws/lambda/" + functionName;
                    case "getLogStreamName" -> "local/" + requestId;
                    case "getFunctionName" -> functionName;
                    case "getFunctionVersion" -> "$LATEST";
                    case "getInvokedFunctionArn" -> "arn:aws:lambda:local:000000000000:function:" + functionName;
                    case "getRemainingTimeInMillis" -> remainingMillis();
                    case "getMemoryLimitInMB" -> 1024;
                    case "getLogger" -> logger;
                    case "toString" -> "LambdaContext[" + functionName + "/" + requestId + ", timeout " + timeout + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> defaultFor(method.getReturnType(), proxy, method.getName());
                });
    }

    private static Object defaultFor(Class<?> type, Object proxy, String name) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
