package com.example.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.example.order.jdbc.DatabaseSchema;
import com.example.servers.EmbeddedPostgresServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bin/bench-coldstart: each function's cold start under the real AWS Lambda runtime interface client
 * ({@code com.amazonaws:aws-lambda-java-runtime-interface-client}), started the way Lambda starts a Java runtime:
 * a fresh JVM running {@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>} with
 * {@code AWS_LAMBDA_RUNTIME_API} pointing at {@link RuntimeApiServer}, a clean environment holding Lambda's reserved
 * variables plus what Terraform sets for the function, and the JVM flags of Lambda's Java runtimes (C1 only, serial GC).
 *
 * <p>init = process start to the runtime client's first {@code GET /runtime/invocation/next} (JVM start, runtime
 * client, handler class loading and constructor - Lambda's Init phase). first invoke = event handed out to
 * response received. At both moments the function's process is also sampled ({@link ProcessProbe}): <b>init CPU</b>,
 * the CPU time (user + system, all threads) the JVM has used so far, and the classes it has loaded. CPU time barely
 * depends on the load other processes put on the machine, so it resolves differences of a few percent that
 * wall-clock time on a shared machine (±40 % between single cold starts) cannot; on Lambda a 1024 MB function's
 * init is CPU-bound (about 0.58 vCPU), so CPU ms is close to what the caller waits for. Functions run one after the
 * other in every round, the order rotated each round; medians per function and their ratio to the yardstick
 * (bench/yardstick-fn, Micronaut defaults) are printed, for wall time and CPU time.
 */
public final class ColdStartBenchmark {

    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String API_HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";
    /** What Terraform deploys for create-order: Micronaut's payload-2.0 handler with our pre-routing check (ADR 0007). */
    private static final String CREATE_ORDER_HANDLER = "com.example.createorder.CreateOrderFunction";
    private static final String DEFAULT_JVM = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
            + " -XX:MaxHeapSize=870m -Djava.net.preferIPv4Stack=true";

    /** One function: its jar, handler, first event, its own environment, and the yardstick it is compared with. */
    record Function(String name, Path jar, String handler, byte[] event, Map<String, String> env, String yardstick) {
    }

    private ColdStartBenchmark() {
    }

    /** The command line (picocli, like every other command of the project). */
    @Command(name = "bin/bench-coldstart", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Each function's cold init under the real Lambda runtime interface client, against a plain"
                    + " Micronaut yardstick.",
                    "Per cold start: init wall ms (process start to the first GET /runtime/invocation/next), init CPU ms"
                            + " (utime+stime of all the JVM's threads from /proc/<pid>/stat at that moment, 10 ms"
                            + " resolution), classes loaded by then (the JVM's java.cls counters, as jstat -class), and the"
                            + " same at the first response. CPU ms depends far less on machine load than wall ms (which"
                            + " varies by about 40 %% between single cold starts on a shared machine): compare builds by"
                            + " their per-round init CPU ratios."},
            footer = "JAVA_TOOL_OPTIONS_<NAME> (e.g. JAVA_TOOL_OPTIONS_create_order) adds JAVA_TOOL_OPTIONS to one"
                    + " function only, as the Lambda environment variable would.")
    static final class Options implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            run(this);
            return 0;
        }

        @Option(names = "--rounds", defaultValue = "5",
                description = "cold starts per function; the order of functions rotates every round (default ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--functions", split = ",",
                defaultValue = "yardstick-api,yardstick-handler,create-order,outbox-relay,cancel-consumer",
                description = "any of yardstick-api, yardstick-handler, create-order, outbox-relay, cancel-consumer,"
                        + " and the NAMEs given with --jar (default ${DEFAULT-VALUE})")
        List<String> functions;
        @Option(names = "--jvm-options", defaultValue = DEFAULT_JVM,
                description = "flags for every function's JVM (default ${DEFAULT-VALUE})")
        String jvmOptions;
        @Option(names = "--jar", paramLabel = "NAME=PATH",
                description = "(repeatable) an extra function NAME from another jar, e.g."
                        + " --jar=create-order-before=/path/create-order-fn.jar: it runs with the handler, event,"
                        + " environment and yardstick of the known function whose name NAME starts with (create-order,"
                        + " outbox-relay, cancel-consumer, yardstick-...), alternating with the others in every round,"
                        + " and is compared with that function at the end; added to --functions unless listed there")
        Map<String, Path> jars = new LinkedHashMap<>();
        @Option(names = "--class-log",
                description = "also write each cold start's -Xlog:class+load (one line per class loaded, init and first"
                        + " invocation) next to its output; the first <init classes> lines are roughly the init's. Costs"
                        + " init time: compare class counts from such runs, not times")
        boolean classLog;
        @Option(names = "--create-order-before-jar", paramLabel = "PATH",
                description = "the same as --jar=create-order-before=PATH")
        Path createOrderBeforeJar;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }

    private static void run(Options options) throws Exception {
        // Extra functions from other jars, in the order given.
        Map<String, Path> extraJars = new LinkedHashMap<>(options.jars);
        int rounds = options.rounds;
        List<String> jvm = Arrays.stream(options.jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        String ric = runtimeClientClassPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        try (var database = EmbeddedPostgresServer.startTemporary()) {
            DatabaseSchema.migrateAll(database.dataSource());
            Map<String, String> db = Map.of("DB_URL", database.jdbcUrl(), "DB_USERNAME", database.username(),
                    "DB_PASSWORD", database.password());
            var all = new LinkedHashMap<String, Function>();
            Path yardstick = Path.of("bench/yardstick-fn/target/yardstick-fn.jar");
            all.put("yardstick-api", new Function("yardstick-api", yardstick, API_HANDLER, apiEvent("GET", "/hello", null),
                    Map.of(), "yardstick-api"));
            all.put("yardstick-handler", new Function("yardstick-handler", yardstick,
                    "com.example.yardstick.YardstickRequestHandler", bytes("{\"source\":\"bench\"}"), Map.of(), "yardstick-handler"));
            // What Terraform sets for the relay wake-up (ADR 0014), plus the role credentials Lambda puts in the
            // environment. The endpoint refuses connections: the wake-up after the first order fails fast, on its
            // background thread, as it would with the Lambda API unreachable.
            var createEnv = new LinkedHashMap<>(db);
            createEnv.put("RELAY_WAKE_UP_FUNCTION", "arn:aws:lambda:eu-west-1:000000000000:function:orders-outbox-relay:live");
            createEnv.put("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9");
            createEnv.put("AWS_ACCESS_KEY_ID", "bench");
            createEnv.put("AWS_SECRET_ACCESS_KEY", "bench");
            createEnv.put("AWS_SESSION_TOKEN", "bench");
            all.put("create-order", new Function("create-order", Path.of("create-order-fn/target/create-order-fn.jar"),
                    CREATE_ORDER_HANDLER, apiEvent("POST", "/orders", CreateEvents.body()), createEnv, "yardstick-api"));
            var relayEnv = new LinkedHashMap<>(db);
            relayEnv.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9"); // init only: no broker is contacted before the first drain
            all.put("outbox-relay", new Function("outbox-relay", Path.of("outbox-relay-fn/target/outbox-relay-fn.jar"),
                    "com.example.relay.OutboxRelayFunction", null, relayEnv, "yardstick-handler"));
            all.put("cancel-consumer", new Function("cancel-consumer", Path.of("cancel-consumer-fn/target/cancel-consumer-fn.jar"),
                    "com.example.cancel.CancelConsumerFunction",
                    bytes("{\"eventSource\":\"aws:kafka\",\"bootstrapServers\":\"b-1:9098\",\"records\":{}}"), db, "yardstick-handler"));
            if (options.createOrderBeforeJar != null) {
                extraJars.putIfAbsent("create-order-before", options.createOrderBeforeJar);
            }
            // Each extra jar borrows everything but the jar from its base: the longest known name it starts with.
            Map<String, String> baseOf = new LinkedHashMap<>();
            for (var extra : extraJars.entrySet()) {
                String base = all.keySet().stream().filter(known -> extra.getKey().startsWith(known))
                        .max((a, b) -> a.length() - b.length())
                        .orElseThrow(() -> new IllegalArgumentException("--jar " + extra.getKey()
                                + ": the name must start with one of " + all.keySet()));
                Function b = all.get(base);
                all.put(extra.getKey(), new Function(extra.getKey(), extra.getValue(), b.handler(), b.event(), b.env(), b.yardstick()));
                baseOf.put(extra.getKey(), base);
            }
            var names = new ArrayList<>(options.functions.stream().map(String::trim).toList());
            extraJars.keySet().stream().filter(name -> !names.contains(name)).forEach(names::add);
            List<Function> functions = names.stream().map(name -> {
                Function f = all.get(name);
                if (f == null) {
                    throw new IllegalArgumentException("unknown function " + name + "; known: " + all.keySet());
                }
                if (!Files.isRegularFile(f.jar())) {
                    throw new IllegalStateException(f.jar() + " not found: build with ./mvnw -pl bench/tools -am package -DskipTests");
                }
                return f;
            }).toList();

            System.out.printf("bench-coldstart: %d rounds, JVM %s, flags: %s, load average at start %.2f%n", rounds,
                    Runtime.version(), String.join(" ", jvm), CreateBenchmark.loadAverage());
            Map<String, List<ColdStart>> results = new LinkedHashMap<>();
            Path logs = Files.createTempDirectory("bench-coldstart");
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < functions.size(); i++) {
                    Function f = functions.get((i + round) % functions.size());
                    String run = f.name() + "-" + round;
                    List<String> flags = new ArrayList<>(jvm);
                    if (options.classLog) {
                        flags.add("-Xlog:class+load=info:file=" + logs.resolve(run + ".classes"));
                    }
                    ColdStart r = coldStart(f, java, flags, ric, logs.resolve(run + ".log"));
                    results.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(r);
                    System.out.printf("  round %2d  %-24s init %6.0f ms wall %6.0f ms CPU %5s classes   first invoke %s%n",
                            round + 1, f.name(), r.initMs(), r.initCpuMs(), count(r.initClasses()),
                            Double.isNaN(r.invokeMs()) ? "-" : String.format("%4.0f ms wall %+5.0f ms CPU %5s classes",
                                    r.invokeMs(), r.endCpuMs() - r.initCpuMs(), count(r.endClasses())));
                }
            }
            System.out.println();
            System.out.println("Medians per function, ms and classes (init: process start to the first GET next; CPU:"
                    + " utime+stime of the whole JVM so far; at response: init plus first invoke)");
            System.out.printf("%-24s %18s %8s %8s %9s %12s %9s   %s%n", "function", "init wall (min-max)", "init CPU",
                    "classes", "invoke", "CPU at resp", "classes", "init vs yardstick: wall, CPU");
            for (Function f : functions) {
                List<ColdStart> in = results.get(f.name());
                double wall = median(in, ColdStart::initMs);
                double cpu = median(in, ColdStart::initCpuMs);
                List<ColdStart> yard = results.get(f.yardstick());
                String ratio = yard == null ? "-" : String.format("%.2fx, %.2fx %s", wall / median(yard, ColdStart::initMs),
                        cpu / median(yard, ColdStart::initCpuMs), f.yardstick());
                boolean invoked = !Double.isNaN(in.get(0).invokeMs());
                System.out.printf("%-24s %6.0f (%4.0f-%4.0f) %8.0f %8s %9s %12s %9s   %s%n", f.name(), wall,
                        in.stream().mapToDouble(ColdStart::initMs).min().orElse(0),
                        in.stream().mapToDouble(ColdStart::initMs).max().orElse(0), cpu,
                        count(Math.round(median(in, c -> (double) c.initClasses()))),
                        invoked ? String.format("%.0f", median(in, ColdStart::invokeMs)) : "-",
                        invoked ? String.format("%.0f", median(in, ColdStart::endCpuMs)) : "-",
                        invoked ? count(Math.round(median(in, c -> (double) c.endClasses()))) : "-", ratio);
            }
            for (var pair : baseOf.entrySet()) {
                if (results.containsKey(pair.getKey()) && results.containsKey(pair.getValue())) {
                    printPair(pair.getValue(), pair.getKey(), results);
                }
            }
            System.out.printf("load average at end %.2f; function output in %s%n", CreateBenchmark.loadAverage(), logs);
        }
    }

    /** One cold start: init wall ms, CPU ms and classes at its end; first invoke wall ms (NaN: not invoked), CPU ms and classes at its response. */
    record ColdStart(double initMs, double initCpuMs, long initClasses, double invokeMs, double endCpuMs, long endClasses) {
    }

    private static String count(long classes) {
        return classes < 0 ? "?" : Long.toString(classes);
    }

    /** One function against another build of it, measured in the same rounds: medians and per-round ratios. */
    private static void printPair(String name, String other, Map<String, List<ColdStart>> results) {
        List<ColdStart> now = results.get(name);
        List<ColdStart> then = results.get(other);
        System.out.printf("%s vs %s:%n", name, other);
        pairLine("init wall", now, then, ColdStart::initMs);
        pairLine("init CPU", now, then, ColdStart::initCpuMs);
        pairLine("init classes", now, then, c -> (double) c.initClasses());
        if (!Double.isNaN(now.get(0).invokeMs()) && !Double.isNaN(then.get(0).invokeMs())) {
            pairLine("first invoke wall", now, then, ColdStart::invokeMs);
            pairLine("init+invoke wall", now, then, c -> c.initMs() + c.invokeMs());
            pairLine("init+invoke CPU", now, then, ColdStart::endCpuMs);
            pairLine("init+invoke classes", now, then, c -> (double) c.endClasses());
        }
    }

    private static void pairLine(String what, List<ColdStart> now, List<ColdStart> then, ToDoubleFunction<ColdStart> figure) {
        double a = median(now, figure);
        double b = median(then, figure);
        List<Double> perRound = new ArrayList<>();
        for (int r = 0; r < Math.min(now.size(), then.size()); r++) {
            perRound.add(figure.applyAsDouble(now.get(r)) / figure.applyAsDouble(then.get(r)));
        }
        System.out.printf("  %-20s medians %7.0f / %7.0f = %.3fx (%+.1f %%); per-round ratio median %.3fx (min %.3f, max %.3f)%n",
                what, a, b, a / b, (a / b - 1) * 100, median(perRound),
                perRound.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                perRound.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static double median(List<ColdStart> runs, ToDoubleFunction<ColdStart> figure) {
        return median(runs.stream().map(c -> figure.applyAsDouble(c)).toList());
    }

    private static ColdStart coldStart(Function f, String java, List<String> jvm, String ric, Path log) throws Exception {
        try (var api = new RuntimeApiServer(f.event() == null ? bytes("{}") : f.event())) {
            var command = new ArrayList<String>();
            command.add(java);
            command.addAll(jvm);
            command.addAll(List.of("-cp", f.jar().toAbsolutePath() + File.pathSeparator + ric, RIC_MAIN, f.handler()));
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().retainAll(List.of("PATH", "LANG", "TMPDIR"));
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("_HANDLER", f.handler());
            env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + f.name());
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench/" + UUID.randomUUID());
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            env.put("AWS_REGION", "eu-west-1");
            env.put("AWS_DEFAULT_REGION", "eu-west-1");
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.put("TZ", ":UTC");
            env.putAll(f.env());
            String tool = System.getenv("JAVA_TOOL_OPTIONS_" + f.name().replace('-', '_'));
            if (tool != null) {
                env.put("JAVA_TOOL_OPTIONS", tool);
            }
            long start = System.nanoTime();
            Process process = builder.start();
            try (var probe = new ProcessProbe(process.pid())) {
                api.probe = probe;
                long next = api.firstNext.get(180, TimeUnit.SECONDS);
                double init = (next - start) / 1e6;
                ProcessProbe.Sample atInit = api.initSample;
                if (f.event() == null) {
                    return new ColdStart(init, atInit.cpuMs(), atInit.classes(), Double.NaN, Double.NaN, -1);
                }
                RuntimeApiServer.Outcome outcome = api.outcome.get(120, TimeUnit.SECONDS);
                if (outcome.error()) {
                    throw new IllegalStateException(f.name() + " first invocation failed: " + outcome.body() + " (log " + log + ")");
                }
                if ((f.handler().equals(API_HANDLER) || f.handler().equals(CREATE_ORDER_HANDLER)) && !outcome.body().matches("(?s).*\"statusCode\":\\s*20[01].*")) {
                    throw new IllegalStateException(f.name() + " answered " + outcome.body() + " (log " + log + ")");
                }
                return new ColdStart(init, atInit.cpuMs(), atInit.classes(), (outcome.at() - api.eventSent) / 1e6,
                        outcome.sample().cpuMs(), outcome.sample().classes());
            } catch (Exception e) {
                throw new IllegalStateException(f.name() + " cold start failed (log " + log + "): " + e, e);
            } finally {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The runtime client and its libraries (its own dependencies) from this JVM's class path, as Lambda's /var/runtime/lib holds them. */
    private static String runtimeClientClassPath() {
        List<String> wanted = List.of("aws-lambda-java-runtime-interface-client-", "aws-lambda-java-core-",
                "aws-lambda-java-serialization-", "utils-lite-", "annotations-");
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> wanted.stream().anyMatch(w -> Path.of(entry).getFileName().toString().startsWith(w)))
                .collect(Collectors.joining(File.pathSeparator));
        if (!cp.contains("runtime-interface-client")) {
            throw new IllegalStateException("aws-lambda-java-runtime-interface-client is not on the class path");
        }
        return cp;
    }

    /** API Gateway's payload format 2.0 event for one request (the fields HTTP APIs send). */
    private static byte[] apiEvent(String method, String path, String body) {
        ObjectNode event = JsonNodeFactory.instance.objectNode()
                .put("version", "2.0").put("routeKey", "$default").put("rawPath", path).put("rawQueryString", "");
        event.putObject("headers").put("content-type", "application/json").put("host", "localhost");
        ObjectNode context = event.putObject("requestContext")
                .put("accountId", "000000000000").put("apiId", "bench").put("domainName", "localhost");
        context.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1").put("userAgent", "bench");
        context.put("requestId", UUID.randomUUID().toString()).put("routeKey", "$default").put("stage", "$default")
                .put("timeEpoch", Instant.now().toEpochMilli());
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return bytes(event.toString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
