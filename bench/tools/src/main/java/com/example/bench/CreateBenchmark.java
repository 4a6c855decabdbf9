package com.example.bench;

import com.example.local.DeployedFunction;
import com.example.local.HttpApiGateway;
import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.app.TraceContext;
import com.example.order.domain.OrderDraft;
import com.example.order.jdbc.DatabaseSchema;
import com.example.order.data.OrderStore;
import com.example.servers.EmbeddedPostgresServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jdk.jfr.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * bin/bench-create: the create path against the database's own rate, side by side in one run.
 *
 * <p>Layers, each a closed loop of N clients (N = each concurrency), run one after the other in every round, the
 * order reversed in alternate rounds so drift from other load on the machine hits all of them alike:
 * <ol>
 *   <li><b>pgbench</b>: the same transaction from PostgreSQL's C client ({@link Pgbench}) - the database's limit;</li>
 *   <li><b>use case</b>: order-core's {@code CreateOrder} over its {@code OrderStore} (Micronaut Data JDBC) and a Hikari pool per client
 *       with the function's pool settings - our domain code, JSON encoding and pgjdbc, no framework;</li>
 *   <li><b>handler</b>: the deployable create-order-fn.jar's handler class, one instance (one class loader, one
 *       application context, one pool) per client, fed payload-2.0 event JSON through the Lambda runtime's own
 *       event serialisation - what Lambda runs, minus the network to the Runtime API;</li>
 *   <li><b>local HTTP</b> (selected concurrencies): real HTTP with keep-alive through local-runtime's HttpApiGateway
 *       into a DeployedFunction of the same jar.</li>
 * </ol>
 * Then a JFR recording of the handler at concurrency 1 splits its CPU time by component ({@link CpuBreakdown}).
 */
public final class CreateBenchmark {

    /** The options: name, default, help text. Parsed by picocli from this one list. */
    private static final List<String[]> OPTIONS = List.of(
            new String[] {"concurrency", "1,2,8,32", "client counts for pgbench, use case and handler"},
            new String[] {"http-concurrency", "1,8", "client counts also run through the local HTTP bridge; \"\" for none"},
            new String[] {"seconds", "5", "measured time per layer and round"},
            new String[] {"rounds", "2", "rounds per concurrency, layer order reversed in alternate rounds"},
            new String[] {"warmup-seconds", "15", "least unmeasured warm-up per concurrency (JIT, pools)"},
            new String[] {"max-warmup-seconds", "120", "warm-up goes on while the handler's rate still rises, up to this"},
            new String[] {"profile-seconds", "10", "JFR-profiled handler run at concurrency 1; 0 skips it"},
            new String[] {"jar", "create-order-fn/target/create-order-fn.jar", "the deployable create-order jar"});

    private final Map<String, String> options;
    private final Path jar;
    private final List<HandlerEnvironment> environments = new ArrayList<>();
    private final List<CreateOrder> useCases = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<OrderStore> stores = new ArrayList<>();
    private EmbeddedPostgresServer database;
    private Pgbench pgbench;

    private CreateBenchmark(Map<String, String> options) {
        this.options = options;
        this.jar = Path.of(options.get("jar"));
    }

    public static void main(String[] args) throws Exception {
        var spec = CommandSpec.create().name("bin/bench-create").mixinStandardHelpOptions(true);
        spec.usageMessage().description("The create path in-process and over HTTP against pgbench, with a JFR time breakdown.");
        for (String[] option : OPTIONS) {
            spec.addOption(OptionSpec.builder("--" + option[0]).paramLabel("VALUE").type(String.class)
                    .defaultValue(option[1]).description(option[2] + " (default: ${DEFAULT-VALUE})").build());
        }
        var commandLine = new CommandLine(spec);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            commandLine.usage(System.err);
            System.exit(2);
            return;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return;
        }
        var options = new LinkedHashMap<String, String>();
        for (String[] option : OPTIONS) {
            options.put(option[0], parsed.matchedOptionValue("--" + option[0], option[1]));
        }
        new CreateBenchmark(options).run();
    }

    private void run() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it with ./mvnw -pl create-order-fn -am package -DskipTests");
        }
        String pgbenchBinary = Pgbench.locate();
        if (pgbenchBinary == null) {
            throw new IllegalStateException("pgbench not found on PATH (Debian: apt-get install postgresql-client)");
        }
        double seconds = Double.parseDouble(options.get("seconds"));
        int rounds = Integer.parseInt(options.get("rounds"));
        double warmup = Double.parseDouble(options.get("warmup-seconds"));
        List<Integer> concurrencies = ints(options.get("concurrency"));
        List<Integer> httpConcurrencies = ints(options.get("http-concurrency"));

        database = EmbeddedPostgresServer.startTemporary();
        try {
            DatabaseSchema.migrateAll(database.dataSource());
            // What Terraform sets as the function's environment; Micronaut reads system properties like variables.
            System.setProperty("DB_URL", database.jdbcUrl());
            System.setProperty("DB_USERNAME", database.username());
            System.setProperty("DB_PASSWORD", database.password());
            pgbench = Pgbench.prepare(pgbenchBinary, database.dataDirectory().resolveSibling(
                    database.dataDirectory().getFileName() + "-pgbench"), database.port(), database.username(),
                    database.password(), "postgres");
            System.out.printf("bench-create: %s, %d CPUs, load average at start %.2f, %s s per layer x %d rounds%n",
                    jar, Runtime.getRuntime().availableProcessors(), loadAverage(), options.get("seconds"), rounds);
            var table = new ArrayList<String>();
            var phases = new Latencies[3];
            for (int clients : concurrencies) {
                ensureClients(clients);
                double maxWarmup = Double.parseDouble(options.get("max-warmup-seconds"));
                warmUp("handler", clients, warmup, maxWarmup, c -> invokeHandler(c, null));
                warmUp("use case", clients, 5, 5, this::createThroughUseCase);
                Map<String, List<ClosedLoop.Result>> results = new LinkedHashMap<>();
                List<String> layers = new ArrayList<>(List.of("pgbench", "use case", "handler"));
                DeployedFunction function = null;
                HttpApiGateway gateway = null;
                List<HttpClient> httpClients = new ArrayList<>();
                if (httpConcurrencies.contains(clients)) {
                    layers.add("local HTTP");
                    function = new DeployedFunction("create-order", jar, HandlerEnvironment.HANDLER, Duration.ofSeconds(30), clients);
                    gateway = HttpApiGateway.start(function, 0);
                    for (int i = 0; i < clients; i++) {
                        httpClients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
                    }
                    URI uri = URI.create("http://localhost:" + gateway.port() + "/orders");
                    warmUp("local HTTP", clients, warmup, maxWarmup, c -> post(httpClients.get(c), uri));
                }
                try {
                    URI uri = gateway == null ? null : URI.create("http://localhost:" + gateway.port() + "/orders");
                    var phaseParts = new ArrayList<List<Latencies>>();
                    for (int round = 0; round < rounds; round++) {
                        List<String> order = new ArrayList<>(layers);
                        if (round % 2 == 1) {
                            java.util.Collections.reverse(order);
                        }
                        for (String layer : order) {
                            ClosedLoop.Result r = switch (layer) {
                                case "pgbench" -> pgbench.run(clients, seconds);
                                case "use case" -> ClosedLoop.run(clients, seconds, this::createThroughUseCase);
                                case "handler" -> {
                                    var parts = phaseLatencies(clients);
                                    phaseParts.add(parts);
                                    yield ClosedLoop.run(clients, seconds, c -> invokeHandler(c, parts));
                                }
                                case "local HTTP" -> ClosedLoop.run(clients, seconds, c -> post(httpClients.get(c), uri));
                                default -> throw new IllegalStateException(layer);
                            };
                            results.computeIfAbsent(layer, k -> new ArrayList<>()).add(r);
                        }
                    }
                    double pg = results.containsKey("pgbench") ? mean(results.get("pgbench")) : Double.NaN;
                    for (var e : results.entrySet()) {
                        Latencies all = Latencies.merge(e.getValue().stream().map(ClosedLoop.Result::latencies).toList());
                        long errors = e.getValue().stream().mapToLong(ClosedLoop.Result::errors).sum();
                        String firstError = e.getValue().stream().map(ClosedLoop.Result::firstError)
                                .filter(x -> x != null).findFirst().orElse("");
                        double rate = mean(e.getValue());
                        String line = String.format("%4d  %-11s %9.0f  %7.2f  %7.2f  %7.2f   %5.2fx  %s", clients, e.getKey(),
                                rate, all.percentileMillis(0.5), all.percentileMillis(0.99), all.meanMillis(), rate / pg,
                                errors == 0 ? "" : errors + " errors, first: " + firstError);
                        table.add(line);
                        System.out.println(line);
                    }
                    if (clients == concurrencies.get(0) && !phaseParts.isEmpty()) {
                        for (int p = 0; p < 3; p++) {
                            int phase = p;
                            phases[p] = Latencies.merge(phaseParts.stream().flatMap(l -> l.stream().skip(phase * (long) clients)
                                    .limit(clients)).toList());
                        }
                    }
                } finally {
                    if (gateway != null) {
                        gateway.close();
                    }
                    if (function != null) {
                        function.close();
                    }
                    httpClients.forEach(HttpClient::close);
                }
            }
            System.out.println();
            System.out.println("   N  layer        orders/s   p50 ms   p99 ms  mean ms   vs pgbench");
            table.forEach(System.out::println);
            System.out.println();
            if (phases[0] != null) System.out.printf("Handler phases at %d client(s), p50 / p99 ms: event JSON -> APIGatewayV2HTTPEvent %.3f / %.3f;"
                            + " handleRequest %.3f / %.3f; response -> JSON %.3f / %.3f%n", concurrencies.get(0),
                    phases[0].percentileMillis(0.5), phases[0].percentileMillis(0.99), phases[1].percentileMillis(0.5),
                    phases[1].percentileMillis(0.99), phases[2].percentileMillis(0.5), phases[2].percentileMillis(0.99));
            double profileSeconds = Double.parseDouble(options.get("profile-seconds"));
            if (profileSeconds > 0) {
                profile(profileSeconds);
            }
            printCounts();
            System.out.printf("load average at end %.2f%n", loadAverage());
        } finally {
            for (HandlerEnvironment env : environments) {
                env.close();
            }
            stores.forEach(OrderStore::close);
            pools.forEach(HikariDataSource::close);
            database.close();
        }
    }

    /** Three phase recorders per client: [0..N) event in, [N..2N) handleRequest, [2N..3N) response out. */
    private static List<Latencies> phaseLatencies(int clients) {
        var list = new ArrayList<Latencies>();
        for (int i = 0; i < 3 * clients; i++) {
            list.add(new Latencies());
        }
        return list;
    }

    private void invokeHandler(int client, List<Latencies> phases) throws Exception {
        HandlerEnvironment.Timing t = environments.get(client).invoke(CreateEvents.postOrder());
        if (t.status() != 201) {
            throw new IllegalStateException("status " + t.status());
        }
        if (phases != null) {
            int n = phases.size() / 3;
            phases.get(client).add(t.eventIn());
            phases.get(n + client).add(t.handle());
            phases.get(2 * n + client).add(t.responseOut());
        }
    }

    private void createThroughUseCase(int client) {
        var draft = new OrderDraft(UUID.randomUUID(), List.of(
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.TWO, new BigDecimal("19.99"))));
        var result = useCases.get(client).create(new CreateOrderCommand(draft, null, TraceContext.none()));
        if (!(result instanceof CreateOrderResult.Created)) {
            throw new IllegalStateException(result.toString());
        }
    }

    private static void post(HttpClient client, URI uri) throws Exception {
        var request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CreateEvents.body())).build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("status " + response.statusCode() + ": " + new String(response.body()));
        }
    }

    /** Execution environments and use-case pools up to {@code clients} (each environment is a cold start). */
    private void ensureClients(int clients) throws Exception {
        int missing = clients - environments.size();
        if (missing <= 0) {
            return;
        }
        long started = System.nanoTime();
        // One after the other: Micronaut reads the jar's resources through a zip file system that the JDK shares per
        // jar, and one context closing it while another starts fails that start (ClosedFileSystemException).
        for (int i = 0; i < missing; i++) {
            environments.add(new HandlerEnvironment(jar));
        }
        while (useCases.size() < clients) {
            var config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.username());
            config.setPassword(database.password());
            // create-order-fn's application.yml settings for its pool.
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            config.setInitializationFailTimeout(-1);
            var pool = new HikariDataSource(config);
            pools.add(pool);
            var store = OrderStore.open(pool);
            stores.add(store);
            useCases.add(new CreateOrder(store.transactions("/order-service/create-order-fn"), Clock.systemUTC()));
        }
        System.out.printf("started %d execution environment(s) in %.1f s%n", missing, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Warms every execution environment until the rate stops rising (under 10% more than the previous 5 s slice),
     * at least {@code seconds}, at most {@code maxSeconds}. Each environment is a class loader of its own, so the JIT
     * compiles its code separately, as in N Lambda JVMs: with N environments warm-up takes about N times as long,
     * longer on a loaded machine.
     */
    private static void warmUp(String what, int clients, double seconds, double maxSeconds, ClosedLoop.Request request)
            throws Exception {
        long started = System.nanoTime();
        double previous = 0;
        var rates = new ArrayList<String>();
        while (true) {
            ClosedLoop.Result r = ClosedLoop.run(clients, 5, request);
            // A new environment's first request opens its connection; on a starved machine that can outlast the
            // pool's 5 s connection timeout (503). Reported, not fatal: the measured rounds count every error.
            rates.add(String.format("%.0f", r.opsPerSecond()) + (r.errors() > 0 ? " (" + r.errors() + " errors: "
                    + r.firstError() + ")" : ""));
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (elapsed >= maxSeconds || (elapsed >= seconds && r.opsPerSecond() < previous * 1.1)) {
                break;
            }
            previous = r.opsPerSecond();
        }
        System.out.printf("warm-up of %s at %d client(s), orders/s per 5 s slice: %s%n", what, clients, String.join(", ", rates));
    }

    private void profile(double seconds) throws Exception {
        Path file = Files.createTempFile("bench-create", ".jfr");
        try (var recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            ClosedLoop.Result r = ClosedLoop.run(1, seconds, c -> invokeHandler(c, null));
            recording.stop();
            recording.dump(file);
            Map<String, Integer> byClass = new java.util.HashMap<>();
            Map<String, Integer> counts = CpuBreakdown.of(file, "client-", byClass);
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            double cpuMsPerRequest = total * 1.0 / r.latencies().count(); // 1 sample per ms of running Java code
            System.out.printf("%nHandler CPU profile (JFR execution samples, 1 ms period, 1 client, %d requests at %.0f/s, p50 %.2f ms):"
                    + " %d samples, about %.3f ms of Java CPU per request%n", r.latencies().count(), r.opsPerSecond(),
                    r.latencies().percentileMillis(0.5), total, cpuMsPerRequest);
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e ->
                    System.out.printf("  %5.1f%%  %6.3f ms/request  %s%n", 100.0 * e.getValue() / total,
                            e.getValue() * 1.0 / r.latencies().count(), e.getKey()));
            System.out.println("  top deciding classes:");
            byClass.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                    .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Every order has its outbox row (and the reverse): the benchmark wrote through the real transaction. */
    private void printCounts() throws Exception {
        try (var c = database.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select (select count(*) from orders), (select count(*) from order_items),"
                     + " (select count(*) from outbox_message)")) {
            rs.next();
            System.out.printf("database after the run: %d orders, %d items, %d outbox rows%s%n", rs.getLong(1),
                    rs.getLong(2), rs.getLong(3), rs.getLong(1) == rs.getLong(3) ? "" : "  <-- MISMATCH");
        }
    }

    private static double mean(List<ClosedLoop.Result> results) {
        return results.stream().mapToDouble(ClosedLoop.Result::opsPerSecond).average().orElse(Double.NaN);
    }

    private static List<Integer> ints(String list) {
        if (list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
