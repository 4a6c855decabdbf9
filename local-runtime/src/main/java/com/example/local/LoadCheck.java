package com.example.local;

import com.example.servers.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code load-check [--orders=5000] [--rate=100] [--outage-seconds=5]}: a steady stream of POST /orders through the
 * HTTP API, the Kafka broker stopped and started again halfway, then an audit of the database against the topic:
 * every order has exactly one distinct {@code order.created} event id, no event lacks its order. Prints the counts
 * and commit-to-publish latency percentiles (order {@code created_at} to the record's broker-side timestamp).
 * Exit status 1 if the audit fails.
 */
final class LoadCheck {

    private LoadCheck() {
    }

    /** {@code load-check}: the command line for {@link #run(int, int, int)}. */
    @Command(name = "load-check", mixinStandardHelpOptions = true,
            description = "POST /orders at a steady rate on a throw-away runtime, stop and start the broker halfway,"
                    + " then audit orders against order.created. Exit status 1 if the audit fails.")
    static final class Cli implements Callable<Integer> {
        @Option(names = "--orders", defaultValue = "5000", description = "orders to create (default: ${DEFAULT-VALUE})")
        int orders;

        @Option(names = "--rate", defaultValue = "100", description = "orders per second (default: ${DEFAULT-VALUE})")
        int rate;

        @Option(names = "--outage-seconds", defaultValue = "5", description = "broker outage halfway (default: ${DEFAULT-VALUE})")
        int outageSeconds;

        @Option(names = "--relay", paramLabel = "polling|cdc", defaultValue = "polling",
                converter = LocalRuntime.RelayMode.Converter.class,
                description = "the outbox's relay: the Lambda relay or the Debezium CDC relay (default: ${DEFAULT-VALUE})")
        LocalRuntime.RelayMode relay;

        @Override
        public Integer call() throws Exception {
            return run(orders, rate, outageSeconds, relay);
        }
    }

    static int run(int orders, int rate, int outageSeconds) throws Exception {
        return run(orders, rate, outageSeconds, LocalRuntime.RelayMode.POLLING);
    }

    static int run(int orders, int rate, int outageSeconds, LocalRuntime.RelayMode relay) throws Exception {
        Path dir = Files.createTempDirectory("load-check");
        var options = LocalRuntime.Options.defaults(Map.of()).withDataDir(dir).withPorts(0, 0, 0).withRelay(relay);
        System.out.println("Load check (" + relay.name().toLowerCase(java.util.Locale.ROOT) + " relay): starting a"
                + " throw-away runtime in " + dir + " ...");
        try (LocalRuntime runtime = LocalRuntime.start(options, System.out)) {
            return run(runtime, orders, rate, outageSeconds) ? 0 : 1;
        } finally {
            DataDirectory.delete(dir);
        }
    }

    static boolean run(LocalRuntime runtime, int orders, int rate, int outageSeconds) throws Exception {
        Set<UUID> created = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        var done = new CountDownLatch(orders);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        Thread outage = null;
        long[] outageWindow = {Long.MAX_VALUE, Long.MAX_VALUE}; // epoch millis: broker stopped, broker back
        System.out.printf("Sending %d orders at %d/s; the broker goes down for %d s halfway ...%n", orders, rate, outageSeconds);
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < orders; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                if (i == orders / 2) {
                    outage = Thread.ofPlatform().name("broker-outage").start(() -> {
                        System.out.println("  stopping the broker ...");
                        outageWindow[0] = System.currentTimeMillis();
                        runtime.embeddedKafka().stop();
                        try {
                            Thread.sleep(Duration.ofSeconds(outageSeconds));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        runtime.embeddedKafka().start();
                        outageWindow[1] = System.currentTimeMillis();
                        System.out.printf("  broker is back after %.1f s%n", (outageWindow[1] - outageWindow[0]) / 1000.0);
                    });
                }
                clients.submit(() -> {
                    try {
                        created.add(ChaosDemo.createThroughApi(runtime.baseUrl()));
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        if (outage != null) {
            outage.join();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %d created (201), %d failed, in %.1f s (%.0f/s)%n", created.size(), failures.get(),
                sendSeconds, created.size() / sendSeconds);
        System.out.println("Waiting for the relay to publish everything ...");
        ChaosDemo.awaitEvents(runtime.bootstrapServers(), created, Duration.ofMinutes(3));

        Map<UUID, Long> committedAt = new HashMap<>();
        try (Connection c = runtime.database().dataSource().getConnection();
                var s = c.prepareStatement("select id, created_at from orders");
                var rs = s.executeQuery()) {
            while (rs.next()) {
                committedAt.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).getTime());
            }
        }
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
        List<Long> steady = new ArrayList<>(); // orders committed while the broker was up
        for (var order : committedAt.entrySet()) {
            Set<String> ids = eventIdsByOrder.get(order.getKey().toString());
            if (ids == null) {
                withoutEvent++;
            } else {
                if (ids.size() != 1) {
                    moreThanOneEventId++;
                }
                long latency = Math.max(0, firstPublish.get(order.getKey().toString()) - order.getValue());
                latencies.add(latency);
                if (order.getValue() < outageWindow[0] || order.getValue() > outageWindow[1]) {
                    steady.add(latency);
                }
            }
        }
        int eventsWithoutOrder = 0;
        for (String key : eventIdsByOrder.keySet()) {
            if (!committedAt.containsKey(UUID.fromString(key))) {
                eventsWithoutOrder++;
            }
        }
        long distinctEventIds = events.stream().map(OrderLedger.Event::eventId).distinct().count();
        Collections.sort(latencies);
        Collections.sort(steady);
        System.out.printf("""
                Result
                  orders in DB                          %d   (201 responses: %d, failed requests: %d)
                  order.created records in Kafka        %d   (distinct event ids: %d, redelivered copies: %d)
                  orders without an event               %d
                  orders with more than one event id    %d
                  events without an order               %d
                  commit-to-publish latency (ms), all   p50 %d  p90 %d  p99 %d  p99.9 %d  max %d
                    orders committed while broker up    p50 %d  p90 %d  p99 %d  max %d   (%d orders)
                """, committedAt.size(), created.size(), failures.get(), events.size(), distinctEventIds,
                events.size() - distinctEventIds, withoutEvent, moreThanOneEventId, eventsWithoutOrder,
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), pct(latencies, 99.9),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
                pct(steady, 50), pct(steady, 90), pct(steady, 99), steady.isEmpty() ? 0 : steady.get(steady.size() - 1),
                steady.size());
        boolean ok = withoutEvent == 0 && moreThanOneEventId == 0 && eventsWithoutOrder == 0
                && committedAt.size() == created.size();
        System.out.println(ok ? "PASS: every order has exactly one event id, every event has its order."
                : "FAIL: the database and the topic disagree.");
        return ok;
    }

    private static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
