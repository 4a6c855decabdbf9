package com.example.local.bench;

import com.example.local.LocalRuntime;
import com.example.outbox.jdbc.JdbcRelayWatch;
import com.example.servers.DataDirectory;
import com.example.servers.SharedServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Relay wake-up benchmark (issue 10; a program, not a test): the local runtime's real functions, with the relay
 * defaults Terraform deploys, on real PostgreSQL and Kafka. Latency is measured from the 201 response (the commit
 * happened just before it) to a consumer reading the event from {@code order.created}.
 * <ol>
 *   <li>cold sample: the first order after start (create-order's SDK client is still being built);</li>
 *   <li>quiet system: N orders one at a time, each once no relay watches the outbox any more;</li>
 *   <li>idle cost: relay execution time over W idle minutes (only the one-minute schedule runs), per hour;</li>
 *   <li>busy system: a steady order rate; latency percentiles and wake-ups sent per 1,000 orders;</li>
 *   <li>wake-up unreachable: create-order latency at a steady rate with the wake-up endpoint answering and
 *       refusing connections, side by side (in-process: alternating rounds against a 202 stub and a closed port;
 *       http: the Invoke API up, then closed).</li>
 * </ol>
 * Phases 4 and 5 drive create-order's wiring in-process by default ({@link InProcessCreatePath}: no HTTP layer, so
 * this 2-core machine can offer 1,000 orders/s); {@code --driver=http} sends real HTTP requests to the local runtime
 * instead. In-process, phase 5 alternates short rounds with the endpoint reachable and refusing connections (ABAB…),
 * so both share the machine's noise. Run {@code bin/bench-latency --help} for the options.
 */
public final class LatencyBenchmark {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(16)).build();
    /** Requests in flight at most (each holds a connection): an overloaded server shows as a lower achieved rate. */
    private static final int MAX_IN_FLIGHT = 128;

    private final LocalRuntime runtime;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    /** Kafka record timestamp (producer CreateTime: the relay's send, just before the broker's ack), epoch ms. */
    private final Map<String, Long> recordTimestamps = new ConcurrentHashMap<>();
    private volatile boolean consuming = true;

    private LatencyBenchmark(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    /** The command line (picocli, like every other command of the project). */
    @Command(name = "bin/bench-latency", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Relay wake-up: quiet-system latency, idle cost, busy latency, wake-up endpoint down.")
    static final class Options implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            run(this);
            return 0;
        }

        @Option(names = "--quiet-orders", defaultValue = "30", description = "orders one at a time on a quiet system (default ${DEFAULT-VALUE})")
        int quietOrders;
        @Option(names = "--idle-minutes", defaultValue = "5", description = "idle phase length (default ${DEFAULT-VALUE})")
        double idleMinutes;
        @Option(names = "--busy-rate", defaultValue = "1000", description = "orders/s of the busy phase (default ${DEFAULT-VALUE})")
        int busyRate;
        @Option(names = "--busy-seconds", defaultValue = "20", description = "busy phase length (default ${DEFAULT-VALUE})")
        int busySeconds;
        @Option(names = "--driver", defaultValue = "in-process", description = "busy and reachable/unreachable phases: create-order's wiring in-process (default; no HTTP layer) or HTTP requests to the local runtime: ${COMPLETION-CANDIDATES}")
        Driver driver;
        @Option(names = "--compare-rate", description = "orders/s of the reachable/unreachable comparison (default 200 in-process, 50 http)")
        Integer compareRate;
        @Option(names = "--compare-seconds", description = "in-process: length of each alternating round; http: of each phase (default 30 in-process, 20 http)")
        Integer compareSeconds;
        @Option(names = "--compare-rounds", defaultValue = "10", description = "in-process: alternating rounds (default ${DEFAULT-VALUE})")
        int compareRounds;
        @Option(names = "--environments", defaultValue = "16", description = "simulated execution environments of the in-process driver, per set (default ${DEFAULT-VALUE})")
        int environments;
        @Option(names = "--warm-up-orders", defaultValue = "20000", description = "in-process: orders one at a time before the busy phase, JIT warm-up (default ${DEFAULT-VALUE})")
        int warmUpOrders;
    }

    /** {@code in-process} or {@code http} on the command line. */
    enum Driver {
        in_process, http;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Driver.class, value -> Driver.valueOf(value.replace('-', '_'))).execute(args));
    }

    private static void run(Options options) throws Exception {
        int quietOrders = options.quietOrders;
        double idleMinutes = options.idleMinutes;
        int busyRate = options.busyRate;
        int busySeconds = options.busySeconds;
        boolean http = options.driver == Driver.http;
        int compareRate = options.compareRate != null ? options.compareRate : http ? 50 : 200;
        int compareSeconds = options.compareSeconds != null ? options.compareSeconds : http ? 20 : 30;
        int compareRounds = options.compareRounds;
        int environments = options.environments;
        int warmUpOrders = options.warmUpOrders;

        var pg = SharedServers.postgres();
        var kafka = SharedServers.kafka();
        Path dir = Files.createTempDirectory("bench-latency");
        var env = Map.of("DB_URL", pg.jdbcUrl(), "DB_USERNAME", pg.username(), "DB_PASSWORD", pg.password(),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        long started = System.nanoTime();
        try (var runtime = LocalRuntime.start(LocalRuntime.Options.defaults(env).withDataDir(dir).withPorts(0, 0, 0),
                new PrintStream(new ByteArrayOutputStream()))) {
            System.out.printf("local runtime up in %.1f s (cores: %d)%n", (System.nanoTime() - started) / 1e9,
                    Runtime.getRuntime().availableProcessors());
            var benchmark = new LatencyBenchmark(runtime);
            if (http) {
                benchmark.run(quietOrders, idleMinutes, busyRate, busySeconds, compareRate, compareSeconds);
            } else {
                benchmark.runInProcess(quietOrders, idleMinutes, busyRate, busySeconds, compareRate, compareSeconds,
                        compareRounds, environments, warmUpOrders, pg);
            }
        } finally {
            DataDirectory.delete(dir);
        }
        System.exit(0);
    }

    private void run(int quietOrders, double idleMinutes, int busyRate, int busySeconds, int compareRate,
            int compareSeconds) throws Exception {
        Thread consumer = Thread.ofPlatform().daemon().start(this::consume);
        Thread.sleep(2_000); // consumer assigned and at the end
        var watch = new JdbcRelayWatch(runtime.database().dataSource());
        quietAndIdle(watch, quietOrders, idleMinutes);
        httpPhases(watch, busyRate, busySeconds, compareRate, compareSeconds);
        consuming = false;
        consumer.join(5_000);
    }

    private void quietAndIdle(JdbcRelayWatch watch, int quietOrders, double idleMinutes) throws Exception {

        // 1. cold sample
        String cold = createOrder();
        long coldMs = awaitArrival(cold, Duration.ofSeconds(90));
        System.out.printf("cold sample (first order after start): 201 -> in Kafka %d ms%n", coldMs);

        // 2. quiet system
        List<Long> quiet = new ArrayList<>();
        if (quietOrders > 0) {
        long missed = 0;
        for (int i = 0; i < quietOrders; i++) {
            long waitDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (watch.isWatched() && System.nanoTime() < waitDeadline) {
                Thread.sleep(50);
            }
            Thread.sleep(200); // a little past the release, so the relay's last look is over as well
            long ms = awaitArrival(createOrder(), Duration.ofSeconds(90));
            if (ms < 0) {
                missed++;
            } else {
                quiet.add(ms);
            }
        }
        System.out.printf("quiet system (%d orders, each after the relay released its watch): p50 %d ms, p99 %d ms, max %d ms, not within 90 s: %d%n",
                quietOrders, pct(quiet, 50), pct(quiet, 99), pct(quiet, 100), missed);
        }

        // 3. idle cost: from a moment when no relay runs
        if (idleMinutes > 0) {
        while (watch.isWatched() || runtime.relayFunction().runningInvocations() > 0) {
            Thread.sleep(50);
        }
        Duration busyBefore = runtime.relayFunction().busyTime();
        long invocationsBefore = runtime.relayFunction().invocations();
        long idleMillis = (long) (idleMinutes * 60_000);
        Thread.sleep(idleMillis);
        Duration idleBusy = runtime.relayFunction().busyTime().minus(busyBefore);
        long idleInvocations = runtime.relayFunction().invocations() - invocationsBefore;
        System.out.printf("idle cost: %d relay invocations, %.2f s relay execution in %.1f idle minutes = %.1f s per hour%n",
                idleInvocations, idleBusy.toMillis() / 1000.0, idleMinutes, idleBusy.toMillis() / 1000.0 * 60 / idleMinutes);
        }
    }

    private void httpPhases(JdbcRelayWatch watch, int busyRate, int busySeconds, int compareRate, int compareSeconds)
            throws Exception {

        // 4. busy system
        long wakeUpsBefore = runtime.lambdaApi().eventInvocations();
        var busy = steadyLoad(busyRate, busySeconds, true);
        long wakeUps = runtime.lambdaApi().eventInvocations() - wakeUpsBefore;
        System.out.printf("busy system: %d orders at %d/s target (achieved %.0f/s), failed %d; 201 -> in Kafka p50 %d ms, p99 %d ms, max %d ms, not within 60 s: %d; wake-ups sent %d = %.2f per 1,000 orders; create p50 %.1f ms, p99 %.1f ms%n",
                busy.ok(), busyRate, busy.achievedRate(), busy.failed(), pct(busy.toKafka(), 50), pct(busy.toKafka(), 99),
                pct(busy.toKafka(), 100), busy.missing(), wakeUps, wakeUps * 1000.0 / Math.max(1, busy.ok()),
                busy.createP(50), busy.createP(99));

        // 5. wake-up unreachable, side by side with reachable (each after the previous load has drained away)
        Thread.sleep(10_000);
        while (watch.isWatched()) {
            Thread.sleep(50);
        }
        var reachable = steadyLoad(compareRate, compareSeconds, false);
        runtime.lambdaApi().close(); // the port now refuses connections
        Thread.sleep(10_000);
        while (watch.isWatched()) {
            Thread.sleep(50);
        }
        var unreachable = steadyLoad(compareRate, compareSeconds, false);
        System.out.printf("wake-up reachable:   %d orders at %d/s, failed %d, create p50 %.2f ms, p99 %.2f ms%n",
                reachable.ok(), compareRate, reachable.failed(), reachable.createP(50), reachable.createP(99));
        System.out.printf("wake-up unreachable: %d orders at %d/s, failed %d, create p50 %.2f ms, p99 %.2f ms (p99 delta %+.2f ms)%n",
                unreachable.ok(), compareRate, unreachable.failed(), unreachable.createP(50), unreachable.createP(99),
                unreachable.createP(99) - reachable.createP(99));
    }

    private void runInProcess(int quietOrders, double idleMinutes, int busyRate, int busySeconds, int compareRate,
            int compareSeconds, int compareRounds, int environments, int warmUpOrders, com.example.servers.PostgresServer pg) throws Exception {
        Thread consumer = Thread.ofPlatform().daemon().start(this::consume);
        Thread.sleep(2_000); // consumer assigned and at the end
        var watch = new JdbcRelayWatch(runtime.database().dataSource());
        quietAndIdle(watch, quietOrders, idleMinutes);

        String arn = System.getProperty("RELAY_WAKE_UP_FUNCTION");
        int refusingPort;
        try (var probe = new java.net.ServerSocket(0)) {
            refusingPort = probe.getLocalPort(); // closed again below: connections to it are refused
        }
        long started = System.nanoTime();
        // 4. busy system: the wake-ups go to the local runtime's Invoke API and start real relay invocations
        if (busySeconds > 0) {
        try (var reachable = new InProcessCreatePath(pg.jdbcUrl(), pg.username(), pg.password(), environments, arn,
                runtime.lambdaApi().endpoint())) {
            System.out.printf("in-process create path: %d execution environments up in %.1f s (wake-up endpoint: the local Invoke API %s)%n",
                    environments, (System.nanoTime() - started) / 1e9, runtime.lambdaApi().endpoint());
            reachable.warmUp(warmUpOrders);
            Thread.sleep(8_000);
            awaitNoWatch(watch);
            {
                long wakeUpsBefore = runtime.lambdaApi().eventInvocations();
                var countsBefore = reachable.counts();
                var busy = reachable.steadyLoad(busyRate, busySeconds);
                long wakeUps = runtime.lambdaApi().eventInvocations() - wakeUpsBefore;
                var counts = reachable.counts();
                List<Long> toKafka = new ArrayList<>();
                List<Long> toRecordTimestamp = new ArrayList<>();
                long missing = 0;
                long eventDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (var e : busy.created().entrySet()) {
                    Long arrived = arrivalBy(e.getKey(), eventDeadline, 5);
                    if (arrived == null) {
                        missing++;
                    } else {
                        toKafka.add(Math.max(0, (arrived - e.getValue().committedNanos()) / 1_000_000));
                        toRecordTimestamp.add(recordTimestamps.get(e.getKey()) - e.getValue().createdAtMillis());
                    }
                }
                System.out.printf("busy system (in-process, %d environments): %d orders at %d/s target (achieved %.0f/s over %d s), failed %d, not sent (every environment busy) %d%n",
                        environments, busy.created().size(), busyRate, busy.achievedRate(), busySeconds, busy.failed(), busy.skipped());
                System.out.printf("  commit returned -> consumer read: p50 %d ms, p99 %d ms, max %d ms; not within 60 s: %d%n",
                        pct(toKafka, 50), pct(toKafka, 99), pct(toKafka, 100), missing);
                System.out.printf("  created_at -> Kafka record timestamp (relay's send): p50 %d ms, p99 %d ms, max %d ms%n",
                        pct(toRecordTimestamp, 50), pct(toRecordTimestamp, 99), pct(toRecordTimestamp, 100));
                System.out.printf("  wake-ups sent %d (Invoke API saw %d Event invokes) = %.2f per 1,000 orders; checks %d, skipped (relay watching) %d, debounced %d, failed %d; create p50 %.2f ms, p99 %.2f ms%n",
                        counts.sent() - countsBefore.sent(), wakeUps, wakeUps * 1000.0 / Math.max(1, busy.created().size()),
                        counts.checks() - countsBefore.checks(), counts.skippedWatched() - countsBefore.skippedWatched(),
                        counts.skippedDebounced() - countsBefore.skippedDebounced(), counts.failed() - countsBefore.failed(),
                        busy.createP(50), busy.createP(99));
            }
        }
        }

        // 5. The Lambda API answering 202 (as it does to an Event invoke once queued; no relay is started, as on AWS,
        // where the relay does not run on create-order's CPU) vs refusing connections. Neither starts a relay, so
        // in both every environment checks the watch and sends (or fails to send) one wake-up per debounce second.
        if (compareRounds > 0) {
        var accepted = new AtomicLong();
        var stub = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            accepted.incrementAndGet();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        stub.setExecutor(Executors.newFixedThreadPool(2));
        stub.start();
        String stubEndpoint = "http://127.0.0.1:" + stub.getAddress().getPort();
        try (var reachable = new InProcessCreatePath(pg.jdbcUrl(), pg.username(), pg.password(), environments, arn,
                     stubEndpoint);
             var unreachable = new InProcessCreatePath(pg.jdbcUrl(), pg.username(), pg.password(), environments, arn,
                     "http://127.0.0.1:" + refusingPort)) {
            System.out.printf("reachable vs unreachable: 2 x %d execution environments (wake-up endpoint: a 202 stub at %s / port %d refusing connections)%n",
                    environments, stubEndpoint, refusingPort);
            reachable.warmUp(warmUpOrders / 10);
            unreachable.warmUp(warmUpOrders / 10);
            { // alternating rounds, each starting once no relay watches (the one-minute schedule's run may)
                List<Double> p99Reachable = new ArrayList<>();
                List<Double> p99Unreachable = new ArrayList<>();
                long failedTotal = 0;
                for (int round = 0; round < compareRounds; round++) {
                    boolean up = round % 2 == 0;
                    InProcessCreatePath path = up ? reachable : unreachable;
                    Thread.sleep(1_000);
                    awaitNoWatch(watch);
                    var before = path.counts();
                    var load = path.steadyLoad(compareRate, compareSeconds);
                    var after = path.counts();
                    failedTotal += load.failed();
                    (up ? p99Reachable : p99Unreachable).add(load.createP(99));
                    System.out.printf("  round %2d %-11s %d orders (achieved %.0f/s), failed %d, not sent %d; create p50 %.3f ms, p99 %.3f ms, max %.1f ms; wake-ups sent %d, failed %d%n",
                            round + 1, up ? "reachable" : "unreachable", load.created().size(), load.achievedRate(), load.failed(),
                            load.skipped(), load.createP(50), load.createP(99), load.createP(100),
                            after.sent() - before.sent(), after.failed() - before.failed());
                }
                double a = median(p99Reachable);
                double b = median(p99Unreachable);
                List<Double> pairDiffs = new ArrayList<>();
                for (int i = 0; i < Math.min(p99Reachable.size(), p99Unreachable.size()); i++) {
                    pairDiffs.add(p99Unreachable.get(i) - p99Reachable.get(i));
                }
                System.out.printf("wake-up endpoint saw %d invokes%n", accepted.get());
                System.out.printf("wake-up reachable vs unreachable (%d rounds of %d s at %d/s, in-process, %d environments each): median of round p99s %.3f ms vs %.3f ms, difference %+.3f ms; per pair (unreachable - reachable): median %+.3f ms, min %+.3f, max %+.3f; failed requests %d%n",
                        compareRounds, compareSeconds, compareRate, environments, a, b, b - a, median(pairDiffs),
                        pairDiffs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        pairDiffs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), failedTotal);
            }
        } finally {
            stub.stop(0);
        }
        }
        consuming = false;
        consumer.join(5_000);
    }

    private static void awaitNoWatch(JdbcRelayWatch watch) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (watch.isWatched() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    record Load(long ok, long failed, double achievedRate, List<Long> toKafka, long missing, List<Long> createNanos) {
        double createP(int p) {
            return pct(createNanos, p) / 1e6;
        }
    }

    private Load steadyLoad(int rate, int seconds, boolean awaitEvents) throws Exception {
        var created = new ConcurrentHashMap<String, Long>();
        List<Long> createNanos = new CopyOnWriteArrayList<>();
        AtomicLong failed = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        var inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        var pool = Executors.newScheduledThreadPool(4);
        long total = (long) rate * seconds;
        var sent = new AtomicLong();
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        var sender = pool.scheduleAtFixedRate(() -> {
            if (sent.incrementAndGet() > total) {
                return;
            }
            if (!inFlight.tryAcquire()) {
                skipped.incrementAndGet(); // the server is not keeping up: not sent
                return;
            }
            long t0 = System.nanoTime();
            HTTP.sendAsync(orderRequest(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                inFlight.release();
                long t1 = System.nanoTime();
                if (error != null || response.statusCode() != 201) {
                    failed.incrementAndGet();
                    return;
                }
                createNanos.add(t1 - t0);
                var m = ORDER_ID.matcher(response.body());
                if (m.find()) {
                    created.put(m.group(1), t1);
                }
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        while (sent.get() < total) {
            Thread.sleep(50);
        }
        long sendingTook = System.nanoTime() - start;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (created.size() + failed.get() + skipped.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        sender.cancel(false);
        pool.shutdownNow();
        List<Long> toKafka = new ArrayList<>();
        long missing = 0;
        if (awaitEvents) {
            long eventDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (var e : created.entrySet()) {
                Long arrived = arrivalBy(e.getKey(), eventDeadline, 20);
                if (arrived == null) {
                    missing++;
                } else {
                    toKafka.add(Math.max(0, (arrived - e.getValue()) / 1_000_000));
                }
            }
        }
        if (skipped.get() > 0) {
            System.out.printf("  (%d of %d orders not sent: %d requests were already in flight)%n", skipped.get(), total, MAX_IN_FLIGHT);
        }
        return new Load(created.size(), failed.get(), created.size() * 1e9 / sendingTook, toKafka, missing, createNanos);
    }

    private String createOrder() throws Exception {
        HttpResponse<String> response = HTTP.send(orderRequest(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create answered " + response.statusCode() + ": " + response.body());
        }
        var m = ORDER_ID.matcher(response.body());
        m.find();
        created201.put(m.group(1), System.nanoTime());
        return m.group(1);
    }

    private final Map<String, Long> created201 = new ConcurrentHashMap<>();

    /** Milliseconds from the 201 to the event's arrival; -1 if it did not arrive in time. */
    private long awaitArrival(String orderId, Duration timeout) throws InterruptedException {
        Long arrived = arrivalBy(orderId, System.nanoTime() + timeout.toNanos(), 2);
        return arrived == null ? -1 : Math.max(0, (arrived - created201.get(orderId)) / 1_000_000);
    }

    /**
     * When the consumer saw the order's event ({@link System#nanoTime}), looking every {@code pollMillis} until
     * {@code deadlineNanos}; null if it did not arrive by then.
     */
    private Long arrivalBy(String orderId, long deadlineNanos, long pollMillis) throws InterruptedException {
        Long arrived;
        while ((arrived = arrivals.get(orderId)) == null && System.nanoTime() < deadlineNanos) {
            Thread.sleep(pollMillis);
        }
        return arrived;
    }

    private HttpRequest orderRequest() {
        return HttpRequest.newBuilder(URI.create(runtime.baseUrl() + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"customerId":"%s","items":[{"productId":"%s","quantity":1,"unitPrice":5.00}]}"""
                        .formatted(UUID.randomUUID(), UUID.randomUUID())))
                .build();
    }

    private void consume() {
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5"))) {
            List<TopicPartition> partitions = consumer.partitionsFor("order.created").stream()
                    .map(p -> new TopicPartition("order.created", p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (consuming) {
                for (var record : consumer.poll(Duration.ofMillis(20))) {
                    arrivals.putIfAbsent(record.key(), System.nanoTime());
                    recordTimestamps.putIfAbsent(record.key(), record.timestamp());
                }
            }
        }
    }

    static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
