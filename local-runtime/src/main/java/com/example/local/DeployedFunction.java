package com.example.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployable Lambda jar, run the way the AWS Java runtime runs it:
 * <ul>
 *   <li>each execution environment is a class loader of its own over the jar (parent: the platform class loader, so
 *       nothing of local-runtime leaks in), with one handler instance built by its no-arg constructor (the init
 *       phase);</li>
 *   <li>an environment serves one invocation at a time; a new one is started when all are busy, up to
 *       {@code maxConcurrency} (Lambda's reserved concurrency);</li>
 *   <li>the event JSON is turned into the handler's input type by the function's own
 *       {@code CustomPojoSerializer} (micronaut-aws-lambda-events-serde registers one), and the result back into
 *       JSON, exactly as the runtime does. A jar without one gets the runtime's built-in serialisation
 *       (aws-lambda-java-serialization), as in AWS.</li>
 * </ul>
 */
public final class DeployedFunction implements LambdaFunction, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeployedFunction.class);
    private static final Object ENVIRONMENT_STARTS = new Object();
    private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";

    private final String name;
    private final Path jar;
    private final String handlerClass;
    private final Duration timeout;
    private final Semaphore concurrency;
    private final Deque<Environment> idle = new ArrayDeque<>();
    private final List<Environment> all = new ArrayList<>();
    private final Set<LambdaContext> running = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong invocations = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger environmentSequence = new java.util.concurrent.atomic.AtomicInteger();

    public DeployedFunction(String name, Path jar, String handlerClass, Duration timeout, int maxConcurrency) {
        this.name = name;
        this.jar = jar;
        this.handlerClass = handlerClass;
        this.timeout = timeout;
        this.concurrency = new Semaphore(maxConcurrency, true);
    }

    @Override
    public String name() {
        return name;
    }

    /** Starts the first execution environment now (a cold start), so the first request does not pay for it. */
    public DeployedFunction warmUp() {
        Environment env = acquire();
        release(env);
        return this;
    }

    @Override
    public byte[] invoke(byte[] eventJson) throws FunctionError {
        return invoke(eventJson, new LambdaContext(name, timeout));
    }

    byte[] invoke(byte[] eventJson, LambdaContext context) throws FunctionError {
        concurrency.acquireUninterruptibly();
        Environment env = null;
        running.add(context);
        long started = System.nanoTime();
        try {
            env = acquire();
            return env.invoke(eventJson, context);
        } finally {
            // Billed duration: the invocation itself; an environment's init is not counted (Lambda bills it apart).
            busyNanos.addAndGet(System.nanoTime() - started);
            invocations.incrementAndGet();
            running.remove(context);
            if (env != null) {
                release(env);
            }
            concurrency.release();
        }
    }

    /** Total time invocations ran (including any execution-environment start they waited for), e.g. for idle-cost figures. */
    public Duration busyTime() {
        return Duration.ofNanos(busyNanos.get());
    }

    /** Invocations running now. */
    public int runningInvocations() {
        return running.size();
    }

    /** Invocations finished so far. */
    public long invocations() {
        return invocations.get();
    }

    /**
     * One execution environment as its caller can observe it: {@code id} ({@code name#n}, in start order), when it
     * started and when its latest invocation that returned without a function error started (epoch millis, 0 if
     * none), invocations and function errors so far. An environment lives until the function is closed: nothing here
     * restarts one, so the same ids before and after a fault mean the same handler instances (and pools).
     */
    public record EnvironmentStats(String id, long startedAtMillis, long invocations, long functionErrors,
            long lastOkStartedAtMillis) {
    }

    /** Every execution environment started so far, oldest first. */
    public synchronized List<EnvironmentStats> environments() {
        return all.stream().map(Environment::stats).toList();
    }

    /** Makes every running invocation's remaining time read 0, so long-running handlers wind down. */
    public void expireRunningInvocations() {
        running.forEach(LambdaContext::expireNow);
    }

    private Environment acquire() {
        synchronized (this) {
            Environment env = idle.pollFirst();
            if (env != null) {
                return env;
            }
        }
        Environment env;
        // One start at a time in this JVM: Micronaut reads the jar through a zip file system that is shared per path
        // across class loaders, and a start that closes it breaks a concurrent one (ClosedFileSystemException). In
        // Lambda every environment is its own JVM; here concurrent cold starts wait for each other, i.e. are slower.
        synchronized (ENVIRONMENT_STARTS) {
            env = new Environment();
        }
        synchronized (this) {
            all.add(env);
        }
        return env;
    }

    private synchronized void release(Environment env) {
        idle.addFirst(env);
    }

    @Override
    public void close() {
        expireRunningInvocations();
        // Let running invocations see their time is up and return (the relay finishes its in-flight batch).
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeEnvironments();
    }

    private synchronized void closeEnvironments() {
        for (Environment env : all) {
            env.close();
        }
        all.clear();
        idle.clear();
    }

    /** One Lambda execution environment: class loader, handler instance, serializer. */
    private final class Environment {
        private final String id = name + "#" + environmentSequence.incrementAndGet();
        private final long startedAtMillis = System.currentTimeMillis();
        private final java.util.concurrent.atomic.AtomicLong envInvocations = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong functionErrors = new java.util.concurrent.atomic.AtomicLong();
        private volatile long lastOkStartedAtMillis;
        private final URLClassLoader loader;
        private final Object handler;
        private final Method handleRequest;
        private final EventSerde serde;

        Environment() {
            long started = System.nanoTime();
            try {
                loader = new URLClassLoader(name, new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                ClassLoader previous = Thread.currentThread().getContextClassLoader();
                Thread.currentThread().setContextClassLoader(loader);
                try {
                    // As the Lambda runtime does: the handler class is initialised and constructed before the
                    // serializer is created (the consumer's static initialiser sets the JSON parser's limits).
                    Class<?> type = Class.forName(handlerClass, true, loader);
                    Class<?> requestHandler = loader.loadClass(RUNTIME + "RequestHandler");
                    Class<?> contextType = loader.loadClass(RUNTIME + "Context");
                    Class<?> serializerType = loader.loadClass(RUNTIME + "CustomPojoSerializer");
                    Type[] io = typeArguments(type, requestHandler);
                    handler = type.getConstructor().newInstance();
                    Object custom = ServiceLoader.load(serializerType, loader).findFirst().orElse(null);
                    serde = custom != null ? EventSerde.custom(custom, serializerType, io[0], io[1])
                            : EventSerde.runtimeBuiltIn(io[0], io[1], loader);
                    handleRequest = requestHandler.getMethod("handleRequest", Object.class, contextType);
                } finally {
                    Thread.currentThread().setContextClassLoader(previous);
                }
            } catch (ReflectiveOperationException | IOException e) {
                throw new IllegalStateException("Could not start " + name + " (" + handlerClass + " in " + jar + ")",
                        e instanceof InvocationTargetException ite ? ite.getCause() : e);
            }
            log.info("{}: execution environment started in {} ms (handler {})", name,
                    (System.nanoTime() - started) / 1_000_000, handlerClass);
        }

        EnvironmentStats stats() {
            return new EnvironmentStats(id, startedAtMillis, envInvocations.get(), functionErrors.get(), lastOkStartedAtMillis);
        }

        byte[] invoke(byte[] eventJson, LambdaContext context) throws FunctionError {
            long startedAt = System.currentTimeMillis();
            envInvocations.incrementAndGet();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Object input = serde.fromJson(eventJson);
                Object output = handleRequest.invoke(handler, input, context.asProxy(loader));
                byte[] json = serde.toJson(output);
                lastOkStartedAtMillis = Math.max(lastOkStartedAtMillis, startedAt);
                return json;
            } catch (InvocationTargetException e) {
                functionErrors.incrementAndGet();
                Throwable cause = e.getCause();
                throw new FunctionError(name + " failed: " + cause, errorJson(cause), cause);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        void close() {
            if (handler instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("{}: closing the handler failed: {}", name, e.toString());
                }
            }
            try {
                loader.close();
            } catch (IOException e) {
                log.warn("{}: closing the class loader failed: {}", name, e.toString());
            }
        }
    }

    /** Event JSON to the handler's input object and its output back to JSON, as the Lambda Java runtime does it. */
    private interface EventSerde {
        Object fromJson(byte[] json) throws ReflectiveOperationException;

        byte[] toJson(Object value) throws ReflectiveOperationException;

        /** The function's own {@code CustomPojoSerializer} (found by ServiceLoader in its jar): the runtime prefers it. */
        static EventSerde custom(Object serializer, Class<?> serializerType, Type input, Type output)
                throws NoSuchMethodException {
            Method fromJson = serializerType.getMethod("fromJson", InputStream.class, Type.class);
            Method toJson = serializerType.getMethod("toJson", Object.class, java.io.OutputStream.class, Type.class);
            return new EventSerde() {
                @Override
                public Object fromJson(byte[] json) throws ReflectiveOperationException {
                    return fromJson.invoke(serializer, new ByteArrayInputStream(json), input);
                }

                @Override
                public byte[] toJson(Object value) throws ReflectiveOperationException {
                    var out = new ByteArrayOutputStream();
                    toJson.invoke(serializer, value, out, output);
                    return out.toByteArray();
                }
            };
        }

        /**
         * Otherwise the runtime's built-in serialisation (aws-lambda-java-serialization): Jackson with the mix-ins for
         * the AWS event classes, applied to the classes of the function's class loader.
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        static EventSerde runtimeBuiltIn(Type input, Type output, ClassLoader loader) {
            PojoSerializer in = serializerFor(input, loader);
            PojoSerializer out = serializerFor(output, loader);
            return new EventSerde() {
                @Override
                public Object fromJson(byte[] json) {
                    return in.fromJson(new ByteArrayInputStream(json));
                }

                @Override
                public byte[] toJson(Object value) {
                    var bytes = new ByteArrayOutputStream();
                    out.toJson(value, bytes);
                    return bytes.toByteArray();
                }
            };
        }

        private static PojoSerializer<?> serializerFor(Type type, ClassLoader loader) {
            if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
                return LambdaEventSerializers.serializerFor(c, loader);
            }
            return JacksonFactory.getInstance().getSerializer(type);
        }
    }

    /** Lambda's error payload for an unhandled exception. */
    static String errorJson(Throwable error) {
        return JsonNodeFactory.instance.objectNode()
                .put("errorMessage", String.valueOf(error.getMessage()))
                .put("errorType", error.getClass().getName())
                .toString();
    }

    /** Resolves {@code RequestHandler<I, O>}'s I and O for a handler class, through generic superclasses. */
    static Type[] typeArguments(Class<?> handlerType, Class<?> requestHandler) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        Type[] found = search(handlerType, requestHandler, bindings);
        if (found == null) {
            throw new IllegalStateException(handlerType + " does not implement " + requestHandler.getName());
        }
        return found;
    }

    private static Type[] search(Type type, Class<?> target, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        if (type instanceof ParameterizedType p) {
            raw = (Class<?>) p.getRawType();
            TypeVariable<?>[] vars = raw.getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < vars.length; i++) {
                bindings.put(vars[i], args[i] instanceof TypeVariable<?> v && bindings.containsKey(v) ? bindings.get(v) : args[i]);
            }
            if (raw == target) {
                Type[] resolved = new Type[args.length];
                for (int i = 0; i < args.length; i++) {
                    resolved[i] = bindings.getOrDefault(vars[i], Object.class);
                }
                return resolved;
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
            if (raw == target) {
                return new Type[] {Object.class, Object.class};
            }
        } else {
            return null;
        }
        List<Type> parents = new ArrayList<>(List.of(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            parents.add(raw.getGenericSuperclass());
        }
        for (Type parent : parents) {
            Type[] found = search(parent, target, bindings);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
