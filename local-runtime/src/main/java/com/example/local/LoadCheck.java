package com.example.local;

import com.example.servers.DataDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load-check [--orders=10000] [--rate=100] [--faults=postgres-fast,postgres-immediate,broker] [--outage-seconds=5]
 * [--recovery-limit-seconds=10] [--cancel-every=20]}: a steady stream of POST /orders through the HTTP API on a
 * throw-away runtime, with faults spread evenly over the run: PostgreSQL restarted with {@code pg_ctl stop -m fast} or
 * {@code -m immediate} ({@link PostgresRestart}), and the Kafka broker stopped and started. Every
 * {@code cancel-every}-th acknowledged order is also cancelled through {@code order.cancelled}, so the consumer's pool
 * goes through the restarts too. Requests that did not get a 201 are sent again afterwards with the same
 * Idempotency-Key and body, as a client would.
 *
 * <p>Then it audits, and fails (exit 1) unless all of these hold:
 * <ul>
 *   <li>every 201 is in the database with the id, customer and total it returned (no acknowledged order lost), and
 *       every order in the database was acknowledged to someone (no order behind a 503 left unclaimed);</li>
 *   <li>every order has exactly one distinct {@code order.created} event id, and every event has its order;</li>
 *   <li>every non-201 answer is a 503 {@code application/problem+json} to a request in flight during a database
 *       outage (answered after the stop request, sent before the database was back + the recovery limit); anything
 *       else, including a client timeout (60 s), fails;</li>
 *   <li>after each database restart, requests succeed again within the recovery limit (measured and printed);</li>
 *   <li>every cancellation is applied;</li>
 *   <li>the reconciliation job (ADR 0071), invoked at the end, finds no drift;</li>
 *   <li>the functions' pools recovered in place: the execution environments that existed before the first fault
 *       are still the ones serving, each create-order environment answered a 201 after the last restart, and the
 *       relay and consumer did their work after it (the events and cancellations above).</li>
 * </ul>
 * Also prints commit-to-publish latency percentiles (order {@code created_at} to the record's broker timestamp).
 */
final class LoadCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is done to the system, spread evenly over the run. */
    enum Fault {
        BROKER("broker"), POSTGRES_FAST("postgres-fast"), POSTGRES_IMMEDIATE("postgres-immediate");

        final String label;

        Fault(String label) {
            this.label = label;
        }

        static Fault parse(String text) {
            for (Fault f : values()) {
                if (f.label.equals(text)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown fault '" + text + "': broker, postgres-fast or postgres-immediate");
        }

        boolean database() {
            return this != BROKER;
        }
    }

    /** Settings of one run. */
    record Settings(int orders, int rate, List<Fault> faults, int outageSeconds, int recoveryLimitSeconds, int cancelEvery,
            LocalRuntime.RelayMode relay) {
    }

    private LoadCheck() {
    }

    /** {@code load-check}: the command line for {@link #run(Settings)}. */
    @Command(name = "load-check", mixinStandardHelpOptions = true,
            description = "POST /orders at a steady rate on a throw-away runtime while PostgreSQL is restarted (pg_ctl"
                    + " fast and immediate shutdown) and the broker is stopped and started; then audit orders, responses,"
                    + " events and cancellations. Exit status 1 if the audit fails.")
    static final class Cli implements Callable<Integer> {
        @Option(names = "--orders", defaultValue = "10000", description = "orders to create (default: ${DEFAULT-VALUE})")
        int orders;

        @Option(names = "--rate", defaultValue = "100", description = "orders per second (default: ${DEFAULT-VALUE})")
        int rate;

        @Option(names = "--faults", split = ",", defaultValue = "postgres-fast,postgres-immediate,broker",
                converter = FaultConverter.class,
                description = "faults, spread evenly over the run: postgres-fast, postgres-immediate, broker; 'none' for"
                        + " none (default: ${DEFAULT-VALUE})")
        List<Fault> faults;

        @Option(names = "--outage-seconds", defaultValue = "5",
                description = "how long each fault keeps the database or broker down (default: ${DEFAULT-VALUE})")
        int outageSeconds;

        @Option(names = "--recovery-limit-seconds", defaultValue = "10",
                description = "after the database is back, requests must succeed again within this (default: ${DEFAULT-VALUE})")
        int recoveryLimitSeconds;

        @Option(names = "--cancel-every", defaultValue = "20",
                description = "cancel every N-th acknowledged order through order.cancelled; 0 for none (default: ${DEFAULT-VALUE})")
        int cancelEvery;

        @Option(names = "--relay", paramLabel = "polling|cdc", defaultValue = "polling",
                converter = LocalRuntime.RelayMode.Converter.class,
                description = "the outbox's relay: the Lambda relay or the Debezium CDC relay (default: ${DEFAULT-VALUE})")
        LocalRuntime.RelayMode relay;

        @Override
        public Integer call() throws Exception {
            if (orders < 1 || rate < 1 || outageSeconds < 0 || recoveryLimitSeconds < 1 || cancelEvery < 0) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--orders, --rate and --recovery-limit-seconds must be positive; the others not negative");
            }
            List<Fault> chosen = faults.stream().filter(f -> f != null).toList();
            return run(new Settings(orders, rate, chosen, outageSeconds, recoveryLimitSeconds, cancelEvery, relay));
        }
    }

    /** {@code none} is the empty list (a null element, filtered out). */
    static final class FaultConverter implements picocli.CommandLine.ITypeConverter<Fault> {
        @Override
        public Fault convert(String value) {
            return "none".equals(value) ? null : Fault.parse(value);
        }
    }

    static int run(Settings settings) throws Exception {
        Path dir = Files.createTempDirectory("load-check");
        var options = LocalRuntime.Options.defaults(Map.of()).withDataDir(dir).withPorts(0, 0, 0).withRelay(settings.relay());
        System.out.println("Load check (" + settings.relay().name().toLowerCase(java.util.Locale.ROOT) + " relay): starting a"
                + " throw-away runtime in " + dir + " ...");
        try (LocalRuntime runtime = LocalRuntime.start(options, System.out)) {
            return run(runtime, settings) ? 0 : 1;
        } finally {
            DataDirectory.delete(dir);
        }
    }

    /** One POST /orders attempt as the client saw it (epoch millis; status -1: no HTTP answer). */
    record Attempt(String key, String body, long sentAt, long answeredAt, int status, String contentType,
                   JsonNode response, String error) {
    }

    /** One fault as it happened (epoch millis): down from {@code start}, usable again from {@code back}. */
    record Window(Fault fault, long start, long back, String detail) {
    }

    static boolean run(LocalRuntime runtime, Settings s) throws Exception {
        if (s.faults().stream().anyMatch(Fault::database) && runtime.embeddedPostgres() == null) {
            throw new IllegalStateException("database faults need the embedded PostgreSQL (unset DATABASE_URL/DB_URL)");
        }
        if (s.faults().contains(Fault.BROKER) && runtime.embeddedKafka() == null) {
            throw new IllegalStateException("the broker fault needs the embedded Kafka (unset KAFKA_BOOTSTRAP_SERVERS)");
        }
        var attempts = new ConcurrentLinkedQueue<Attempt>();
        var cancelled = new ConcurrentLinkedQueue<UUID>();
        var cancelFailures = new AtomicInteger();
        var acknowledged = new AtomicInteger();
        var windows = Collections.synchronizedList(new ArrayList<Window>());
        var before = Map.of("create-order", runtime.createOrderDeployment().environments(),
                "outbox-relay", relayEnvironments(runtime),
                "cancel-consumer", runtime.consumerFunction().environments());

        var done = new CountDownLatch(s.orders());
        long intervalNanos = 1_000_000_000L / s.rate();
        long start = System.nanoTime();
        List<Thread> faultThreads = new ArrayList<>();
        System.out.printf("Sending %d orders at %d/s; faults %s, each %d s down, spread over the run ...%n", s.orders(),
                s.rate(), s.faults().stream().map(f -> f.label).toList(), s.outageSeconds());
        try (var clients = Executors.newVirtualThreadPerTaskExecutor();
                var cancels = cancelProducer(runtime.bootstrapServers())) {
            for (int i = 0; i < s.orders(); i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                for (int f = 0; f < s.faults().size(); f++) {
                    if (i == (int) ((long) s.orders() * (f + 1) / (s.faults().size() + 1))) {
                        Fault fault = s.faults().get(f);
                        faultThreads.add(Thread.ofPlatform().name("fault-" + fault.label).start(
                                () -> windows.add(inject(runtime, fault, s.outageSeconds()))));
                    }
                }
                clients.submit(() -> {
                    try {
                        Attempt a = post(runtime.baseUrl(), UUID.randomUUID().toString(), orderBody());
                        attempts.add(a);
                        if (a.status() == 201 && s.cancelEvery() > 0 && acknowledged.incrementAndGet() % s.cancelEvery() == 0) {
                            UUID id = UUID.fromString(a.response().path("orderId").asText());
                            cancels.send(CancelCommand.record(id.toString(), "load-check"), (meta, error) -> {
                                if (error != null) {
                                    cancelFailures.incrementAndGet();
                                }
                            });
                            cancelled.add(id);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            for (Thread t : faultThreads) {
                t.join();
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long firstTry201 = attempts.stream().filter(a -> a.status() == 201).count();
            System.out.printf("  %d answered 201 on the first try, %d did not, in %.1f s (%.0f/s)%n", firstTry201,
                    attempts.size() - firstTry201, sendSeconds, attempts.size() / sendSeconds);
            cancels.flush();
        }

        // Every create-order environment must serve again after the last restart: a burst keeps all of them busy.
        List<Attempt> probes = probeEveryEnvironment(runtime.baseUrl(), 40);
        // A client retries what did not get a 201, with the same key and body; each must now be answered 201.
        List<Attempt> retries = new ArrayList<>();
        for (Attempt a : attempts) {
            if (a.status() != 201) {
                retries.add(post(runtime.baseUrl(), a.key(), a.body()));
            }
        }
        System.out.println("Waiting for the relay to publish everything and the consumer to apply the cancellations ...");
        List<Attempt> all201 = new ArrayList<>();
        for (var list : List.of(new ArrayList<>(attempts), probes, retries)) {
            list.stream().filter(a -> a.status() == 201).forEach(all201::add);
        }
        Set<UUID> acknowledgedIds = new HashSet<>();
        all201.forEach(a -> acknowledgedIds.add(UUID.fromString(a.response().path("orderId").asText())));
        ChaosDemo.awaitEvents(runtime.bootstrapServers(), acknowledgedIds, Duration.ofMinutes(3));
        int notCancelled = awaitCancelled(runtime, new HashSet<>(cancelled), Duration.ofMinutes(3));

        // The reconciliation job, as scheduled on AWS, must find no drift either.
        // In CDC mode it checks the connector's slot instead of row age (ADR 0082).
        String reconciliation = new String(runtime.reconciliationFunction().invoke(
                "{\"source\":\"load-check\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                java.nio.charset.StandardCharsets.UTF_8);
        return audit(runtime, s, new ArrayList<>(attempts), probes, retries, all201, windows, before,
                cancelled.size(), cancelFailures.get(), notCancelled, JSON.readTree(reconciliation));
    }

    /** The relay function's environments; none in CDC mode, which deploys no relay function. */
    private static List<DeployedFunction.EnvironmentStats> relayEnvironments(LocalRuntime runtime) {
        return runtime.relayFunction() == null ? List.of() : runtime.relayFunction().environments();
    }

    private static boolean audit(LocalRuntime runtime, Settings s, List<Attempt> attempts, List<Attempt> probes,
            List<Attempt> retries, List<Attempt> all201, List<Window> windows,
            Map<String, List<DeployedFunction.EnvironmentStats>> before, int cancellations, int cancelSendFailures,
            int notCancelled, JsonNode reconciliation) throws Exception {
        record Stored(UUID customerId, BigDecimal total, long createdAt) {
        }
        Map<UUID, Stored> stored = new HashMap<>();
        try (Connection c = runtime.database().dataSource().getConnection();
                var st = c.prepareStatement("select id, customer_id, total_amount, created_at from orders");
                var rs = st.executeQuery()) {
            while (rs.next()) {
                stored.put(rs.getObject(1, UUID.class), new Stored(rs.getObject(2, UUID.class), rs.getBigDecimal(3),
                        rs.getTimestamp(4).getTime()));
            }
        }
        // Acknowledged orders: each 201 body must be in the database as returned.
        int acknowledgedLost = 0;
        Set<UUID> acknowledgedIds = new HashSet<>();
        for (Attempt a : all201) {
            UUID id = UUID.fromString(a.response().path("orderId").asText());
            acknowledgedIds.add(id);
            Stored row = stored.get(id);
            if (row == null || !row.customerId().toString().equals(a.response().path("customerId").asText())
                    || row.total().compareTo(a.response().path("totalAmount").decimalValue()) != 0) {
                acknowledgedLost++;
            }
        }
        int unacknowledgedOrders = 0;
        for (UUID id : stored.keySet()) {
            if (!acknowledgedIds.contains(id)) {
                unacknowledgedOrders++;
            }
        }
        long replayed = retries.stream().filter(a -> a.status() == 201 && "true".equals(header(a))).count();
        int retriesFailed = (int) retries.stream().filter(a -> a.status() != 201).count();
        int probesFailed = (int) probes.stream().filter(a -> a.status() != 201).count();

        // Events.
        List<OrderLedger.Event> events = OrderLedger.readAll(runtime.bootstrapServers(), "order.created");
        Map<String, Set<String>> eventIdsByOrder = new HashMap<>();
        Map<String, Long> firstPublish = new HashMap<>();
        for (var e : events) {
            eventIdsByOrder.computeIfAbsent(e.key(), k -> new HashSet<>()).add(e.eventId());
            firstPublish.merge(e.key(), e.timestamp(), Math::min);
        }
        int withoutEvent = 0;
        int moreThanOneEventId = 0;
        List<Long> latencies = new ArrayList<>();
        List<Long> steady = new ArrayList<>();
        for (var order : stored.entrySet()) {
            Set<String> ids = eventIdsByOrder.get(order.getKey().toString());
            if (ids == null) {
                withoutEvent++;
                continue;
            }
            if (ids.size() != 1) {
                moreThanOneEventId++;
            }
            long committed = order.getValue().createdAt();
            long latency = Math.max(0, firstPublish.get(order.getKey().toString()) - committed);
            latencies.add(latency);
            if (windows.stream().noneMatch(w -> committed >= w.start() - 1000 && committed <= w.back() + s.recoveryLimitSeconds() * 1000L)) {
                steady.add(latency);
            }
        }
        int eventsWithoutOrder = 0;
        for (String key : eventIdsByOrder.keySet()) {
            if (!stored.containsKey(UUID.fromString(key))) {
                eventsWithoutOrder++;
            }
        }
        long distinctEventIds = events.stream().map(OrderLedger.Event::eventId).distinct().count();

        // Client-visible answers other than 201, by status and content type; allowed only as 503 problem+json to a
        // request in flight during a database outage (plus the recovery limit).
        Map<String, int[]> answers = new TreeMap<>(); // "status content-type" -> {during outage, outside}
        int disallowed = 0;
        List<String> examples = new ArrayList<>();
        for (Attempt a : attempts) {
            if (a.status() == 201) {
                continue;
            }
            // Affected by an outage: in flight at some point between the stop request and the end of the recovery
            // limit (a request sent just before the stop can be cut off in its commit; a queued one waits into it).
            boolean inOutage = windows.stream().anyMatch(w -> w.fault().database()
                    && a.answeredAt() >= w.start() && a.sentAt() <= w.back() + s.recoveryLimitSeconds() * 1000L);
            String kind = (a.status() < 0 ? "no answer (" + a.error() + ")" : a.status() + " " + a.contentType());
            answers.computeIfAbsent(kind, k -> new int[2])[inOutage ? 0 : 1]++;
            boolean allowed = inOutage && a.status() == 503 && "application/problem+json".equals(a.contentType());
            if (!allowed) {
                disallowed++;
                if (examples.size() < 5) {
                    examples.add(kind + " sent at " + a.sentAt() + ": " + (a.response() == null ? a.error() : a.response()));
                }
            }
        }

        // Recovery after each database restart.
        var out = new StringBuilder();
        boolean recoveredInTime = true;
        long lastBack = 0;
        List<Window> sorted = windows.stream().sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
        for (int i = 0; i < sorted.size(); i++) {
            Window w = sorted.get(i);
            // Failures up to the next fault (or a minute) belong to this one.
            long until = i + 1 < sorted.size() ? sorted.get(i + 1).start() : w.back() + 60_000;
            if (!w.fault().database()) {
                out.append(String.format("  %-19s down %5.1f s  (%s)%n", w.fault().label, (w.back() - w.start()) / 1000.0, w.detail()));
                continue;
            }
            lastBack = Math.max(lastBack, w.back());
            long firstOk = attempts.stream().filter(a -> a.status() == 201 && a.answeredAt() >= w.back())
                    .mapToLong(Attempt::answeredAt).min().orElse(Long.MAX_VALUE);
            long lastFailedSent = attempts.stream().filter(a -> a.status() != 201 && a.sentAt() >= w.start()
                    && a.sentAt() < until).mapToLong(Attempt::sentAt).max().orElse(w.back());
            long failedInWindow = attempts.stream().filter(a -> a.status() != 201 && a.answeredAt() >= w.start()
                    && a.sentAt() <= w.back() + s.recoveryLimitSeconds() * 1000L).count();
            // Server side: the first order committed after the database was back (its created_at, same clock).
            long firstCommit = stored.values().stream().mapToLong(Stored::createdAt).filter(t -> t >= w.back())
                    .min().orElse(Long.MAX_VALUE);
            long recovery = Math.max(0, Math.max(firstOk - w.back(), lastFailedSent - w.back()));
            boolean ok = recovery <= s.recoveryLimitSeconds() * 1000L;
            recoveredInTime &= ok;
            out.append(String.format("  %-19s down %5.1f s  (%s); requests not answered 201: %d%n"
                            + "                      after the database was back: first commit +%d ms (server side); clients"
                            + " recovered %s (first 201 +%d ms, last failed request sent +%d ms)%n",
                    w.fault().label, (w.back() - w.start()) / 1000.0, w.detail(), failedInWindow,
                    firstCommit == Long.MAX_VALUE ? -1 : firstCommit - w.back(),
                    ok ? "within " + recovery + " ms" : "only after " + recovery + " ms (limit " + s.recoveryLimitSeconds() + " s)",
                    firstOk == Long.MAX_VALUE ? -1 : firstOk - w.back(), Math.max(0, lastFailedSent - w.back())));
        }

        // Pools recovered in place: same environments; each create-order environment answered after the last restart.
        var after = Map.of("create-order", runtime.createOrderDeployment().environments(),
                "outbox-relay", relayEnvironments(runtime),
                "cancel-consumer", runtime.consumerFunction().environments());
        boolean sameEnvironments = true;
        var envs = new StringBuilder();
        for (String fn : List.of("create-order", "outbox-relay", "cancel-consumer")) {
            Set<String> beforeIds = new HashSet<>();
            before.get(fn).forEach(e -> beforeIds.add(e.id()));
            List<String> described = new ArrayList<>();
            for (var e : after.get(fn)) {
                boolean servedAfter = e.lastOkStartedAtMillis() > lastBack;
                described.add(e.id() + (beforeIds.contains(e.id()) ? "" : " (new)") + " invocations " + e.invocations()
                        + ", function errors " + e.functionErrors() + (lastBack > 0 ? (servedAfter
                        ? ", served after the last restart" : ", NOT invoked after the last restart") : ""));
                if (fn.equals("create-order") && lastBack > 0 && !servedAfter) {
                    sameEnvironments = false;
                }
            }
            Set<String> afterIds = new HashSet<>();
            after.get(fn).forEach(e -> afterIds.add(e.id()));
            if (!afterIds.containsAll(beforeIds)) {
                sameEnvironments = false; // an environment disappeared: that would be a restart
            }
            envs.append(String.format("  %-16s %s%n", fn, String.join("; ", described)));
        }

        Collections.sort(latencies);
        Collections.sort(steady);
        var table = new StringBuilder();
        answers.forEach((k, v) -> table.append(String.format("    %-44s %6d during a database outage, %6d outside%n", k, v[0], v[1])));
        System.out.printf("""
                Result
                  faults
                %s  requests: %d orders sent, %d answered 201 first time; %d retried with the same key afterwards
                    (%d of them replayed an order a 503 had in fact committed, %d failed); %d probe requests (%d failed)
                  answers other than 201, by status and content type:
                %s  orders in DB                          %d   (acknowledged with 201: %d)
                  acknowledged orders lost or changed   %d
                  orders in DB never acknowledged       %d
                  order.created records in Kafka        %d   (distinct event ids: %d, redelivered copies: %d)
                  orders without an event               %d
                  orders with more than one event id    %d
                  events without an order (phantom)     %d
                  cancellations sent / not applied      %d / %d   (send failures: %d)
                  reconciliation job afterwards         drift %d   %s
                  commit-to-publish latency (ms), all   p50 %d  p90 %d  p99 %d  p99.9 %d  max %d
                    orders committed away from faults   p50 %d  p90 %d  p99 %d  max %d   (%d orders)
                  execution environments (ids unchanged = no function restart)
                %s""", out, attempts.size(), attempts.size() - retries.size(), retries.size(), replayed, retriesFailed,
                probes.size(), probesFailed, table.isEmpty() ? "    none\n" : table, stored.size(),
                acknowledgedIds.size(), acknowledgedLost, unacknowledgedOrders, events.size(), distinctEventIds,
                events.size() - distinctEventIds, withoutEvent, moreThanOneEventId, eventsWithoutOrder, cancellations,
                notCancelled, cancelSendFailures, reconciliation.path("drift").asLong(-1), reconciliation,
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                pct(latencies, 99.9), latencies.isEmpty() ? 0 : latencies.getLast(), pct(steady, 50), pct(steady, 90),
                pct(steady, 99), steady.isEmpty() ? 0 : steady.getLast(), steady.size(), envs);
        for (String e : examples) {
            System.out.println("  not allowed: " + e);
        }
        List<String> failures = new ArrayList<>();
        check(failures, acknowledgedLost == 0, "acknowledged orders lost or changed");
        check(failures, unacknowledgedOrders == 0, "orders in the database nobody got a 201 for");
        check(failures, withoutEvent == 0 && moreThanOneEventId == 0, "orders without exactly one event id");
        check(failures, eventsWithoutOrder == 0, "phantom events");
        check(failures, disallowed == 0, "answers other than 503 problem+json during a database outage");
        check(failures, retriesFailed == 0 && probesFailed == 0, "retries or probes after the faults failed");
        check(failures, recoveredInTime, "no recovery within " + s.recoveryLimitSeconds() + " s after the database returned");
        check(failures, notCancelled == 0 && cancelSendFailures == 0, "cancellations not applied");
        check(failures, reconciliation.path("drift").asLong(-1) == 0, "the reconciliation job found drift");
        check(failures, sameEnvironments, "execution environments replaced or not serving after the restarts");
        check(failures, windows.size() == s.faults().size(), "not every fault was injected");
        System.out.println(failures.isEmpty()
                ? "PASS: no acknowledged order lost, every order has exactly one event and every event its order; only"
                        + " 503 problem+json during database outages; pools recovered in the same environments."
                : "FAIL: " + String.join("; ", failures) + ".");
        return failures.isEmpty();
    }

    private static void check(List<String> failures, boolean ok, String what) {
        if (!ok) {
            failures.add(what);
        }
    }

    private static String header(Attempt a) {
        return a.response() == null ? null : a.response().path("_replayed").asText(null);
    }

    /** Injects one fault and returns when the database or broker is back. */
    private static Window inject(LocalRuntime runtime, Fault fault, int outageSeconds) {
        try {
            if (fault == Fault.BROKER) {
                System.out.println("  stopping the broker ...");
                long start = System.currentTimeMillis();
                runtime.embeddedKafka().stop();
                Thread.sleep(Duration.ofSeconds(outageSeconds));
                runtime.embeddedKafka().start();
                long back = System.currentTimeMillis();
                System.out.printf("  broker is back after %.1f s%n", (back - start) / 1000.0);
                return new Window(fault, start, back, "stop and start");
            }
            var mode = fault == Fault.POSTGRES_FAST ? PostgresRestart.Shutdown.FAST : PostgresRestart.Shutdown.IMMEDIATE;
            System.out.println("  stopping PostgreSQL: " + mode.pgCtlMode() + " shutdown (SIG" + mode.signal()
                    + ", as pg_ctl stop -m " + mode.pgCtlMode() + ") ...");
            var db = runtime.database();
            var t = PostgresRestart.restart(runtime.embeddedPostgres().dataDirectory(), mode,
                    Duration.ofSeconds(outageSeconds), db.jdbcUrl(), db.username(), db.password());
            System.out.printf("  PostgreSQL accepts connections again %.1f s after the stop request (shutdown took %d ms,"
                    + " start %d ms)%n", (t.accepting() - t.stopRequested()) / 1000.0, t.stopped() - t.stopRequested(),
                    t.accepting() - t.restarted());
            return new Window(fault, t.stopRequested(), t.accepting(), mode.pgCtlMode() + " shutdown "
                    + (t.stopped() - t.stopRequested()) + " ms, start " + (t.accepting() - t.restarted()) + " ms");
        } catch (Exception e) {
            throw new IllegalStateException("could not inject " + fault.label, e);
        }
    }

    private static String orderBody() {
        int cents = 100 + (int) (Math.random() * 100_000);
        return "{\"customerId\":\"" + UUID.randomUUID() + "\",\"items\":[{\"productId\":\"" + UUID.randomUUID()
                + "\",\"quantity\":2,\"unitPrice\":" + BigDecimal.valueOf(cents, 2).toPlainString() + "}]}";
    }

    /** POST /orders with this key and body; never throws (a transport failure is status -1). */
    static Attempt post(String baseUrl, String key, String body) {
        long sent = System.currentTimeMillis();
        try {
            HttpResponse<String> response = ChaosDemo.HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (Exception notJson) {
                json = JSON.getNodeFactory().textNode(response.body());
            }
            if (json.isObject() && response.headers().firstValue("Idempotent-Replayed").isPresent()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("_replayed",
                        response.headers().firstValue("Idempotent-Replayed").get());
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("")
                    .split(";")[0].trim().toLowerCase(Locale.ROOT);
            return new Attempt(key, body, sent, System.currentTimeMillis(), response.statusCode(), contentType, json, null);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Attempt(key, body, sent, System.currentTimeMillis(), -1, "", null, e.getClass().getSimpleName());
        }
    }

    /** {@code n} requests at once: with create-order's concurrency cap, every environment serves some of them. */
    private static List<Attempt> probeEveryEnvironment(String baseUrl, int n) throws InterruptedException {
        var results = new ConcurrentLinkedQueue<Attempt>();
        try (var burst = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                burst.submit(() -> results.add(post(baseUrl, UUID.randomUUID().toString(), orderBody())));
            }
        }
        return new ArrayList<>(results);
    }

    private static KafkaProducer<String, String> cancelProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                // Outlive a broker outage: sends wait in the buffer and are retried until the broker is back.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** Waits until every order in {@code ids} is CANCELLED; returns how many are not by the timeout. */
    private static int awaitCancelled(LocalRuntime runtime, Set<UUID> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int missing = ids.size();
        while (true) {
            try (Connection c = runtime.database().dataSource().getConnection();
                    var st = c.prepareStatement("select count(*) from orders where id = any(?) and status = 'CANCELLED'")) {
                st.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    missing = ids.size() - rs.getInt(1);
                }
            }
            if (missing == 0 || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(500);
        }
    }

    private static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
