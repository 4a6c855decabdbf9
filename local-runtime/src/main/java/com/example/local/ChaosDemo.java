package com.example.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.example.outbox.OutboxMessage;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.servers.DataDirectory;
import com.example.servers.KafkaServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chaos [lost-event] [phantom-event] [--orders=20]}: the dual-write problem and the outbox fix side by side,
 * on real PostgreSQL and a real broker that is really stopped.
 * <ul>
 *   <li>lost-event: stop the broker; create orders with the naive strategy (save, then publish) and through the
 *       deployed create-order function (save + outbox row in one transaction); start the broker; compare orders
 *       in the database with distinct events on {@code order.created}.</li>
 *   <li>phantom-event: naive publishes inside the transaction, which then rolls back; the outbox appends in the
 *       transaction, which then rolls back; see what reached Kafka.</li>
 * </ul>
 * Exit status 1 if any outbox row shows a lost or phantom event.
 */
final class ChaosDemo {

    static final Duration DELIVERY_WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Row(String scenario, String strategy, int ordersInDb, int eventsInKafka, int lost, int phantom) {
        boolean clean() {
            return lost == 0 && phantom == 0;
        }
    }

    private ChaosDemo() {
    }

    /** {@code chaos}: the command line for {@link #run(int, Set)}. */
    @Command(name = "chaos", mixinStandardHelpOptions = true,
            description = "Dual write vs outbox side by side, with a real broker outage and real rollbacks, on a"
                    + " throw-away runtime. Exit status 1 if the outbox ever loses or invents an event.")
    static final class Cli implements Callable<Integer> {
        @Parameters(arity = "0..2", paramLabel = "SCENARIO",
                description = "lost-event, phantom-event (default: both)")
        List<Scenario> scenarios = List.of();

        @Option(names = "--orders", defaultValue = "20", description = "orders per strategy and scenario (default: ${DEFAULT-VALUE})")
        int orders;

        @Option(names = "--relay", paramLabel = "polling|cdc", defaultValue = "polling",
                converter = LocalRuntime.RelayMode.Converter.class,
                description = "the outbox's relay: the Lambda relay or the Debezium CDC relay (default: ${DEFAULT-VALUE})")
        LocalRuntime.RelayMode relay;

        @Override
        public Integer call() throws Exception {
            var chosen = new LinkedHashSet<String>();
            (scenarios.isEmpty() ? List.of(Scenario.values()) : scenarios).forEach(sc -> chosen.add(sc.label));
            return run(orders, chosen, relay);
        }
    }

    enum Scenario {
        LOST_EVENT("lost-event"), PHANTOM_EVENT("phantom-event");

        final String label;

        Scenario(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static int run(int orders, Set<String> scenarios) throws Exception {
        return run(orders, scenarios, LocalRuntime.RelayMode.POLLING);
    }

    static int run(int orders, Set<String> scenarios, LocalRuntime.RelayMode relay) throws Exception {
        Path dir = Files.createTempDirectory("chaos-demo");
        var options = LocalRuntime.Options.defaults(Map.of()).withDataDir(dir).withPorts(0, 0, 0).withRelay(relay);
        System.out.println("Chaos demo (" + relay.name().toLowerCase(java.util.Locale.ROOT) + " relay): starting a"
                + " throw-away runtime in " + dir + " ...");
        List<Row> rows;
        try (LocalRuntime runtime = LocalRuntime.start(options, System.out)) {
            rows = run(runtime, runtime.embeddedKafka(), orders, scenarios, System.out);
        } finally {
            DataDirectory.delete(dir);
        }
        System.out.println(table(rows));
        boolean outboxClean = rows.stream().filter(r -> r.strategy().startsWith("outbox")).allMatch(Row::clean);
        System.out.println(outboxClean ? "Outbox: no event lost, none invented." : "OUTBOX ROW NOT CLEAN: this is a bug.");
        return outboxClean ? 0 : 1;
    }

    static List<Row> run(LocalRuntime runtime, KafkaServer broker, int orders, Set<String> scenarios, PrintStream out)
            throws Exception {
        var rows = new ArrayList<Row>();
        var dataSource = runtime.database().dataSource();
        try (var naive = new NaiveDualWrite(dataSource, runtime.bootstrapServers())) {
            if (scenarios.contains("lost-event")) {
                List<UUID> naiveIds = newIds(orders);
                List<UUID> outboxIds = new ArrayList<>();
                out.println("lost-event: stopping the Kafka broker ...");
                broker.stop();
                try {
                    int failed = naive.saveThenPublish(naiveIds, UUID.randomUUID());
                    out.printf("  naive: %d orders saved, %d publishes failed%n", orders, failed);
                    for (int i = 0; i < orders; i++) {
                        outboxIds.add(createThroughApi(runtime.baseUrl()));
                    }
                    out.printf("  outbox: %d orders created through POST /orders (201 each)%n", orders);
                } finally {
                    out.println("  starting the broker again ...");
                    broker.start();
                }
                awaitEvents(runtime.bootstrapServers(), new HashSet<>(outboxIds), DELIVERY_WAIT);
                rows.add(row("lost-event", "naive dual-write", naiveIds, dataSource, runtime));
                rows.add(row("lost-event", "outbox", outboxIds, dataSource, runtime));
            }
            if (scenarios.contains("phantom-event")) {
                List<UUID> naiveIds = newIds(orders);
                List<UUID> outboxIds = newIds(orders);
                out.println("phantom-event: publish or append, then a failing statement rolls the transaction back ...");
                naive.publishThenFailAndRollBack(naiveIds, UUID.randomUUID());
                appendThenFailAndRollBack(dataSource, outboxIds);
                // Give the relay (which drains continuously) ample time to publish anything it could see.
                Thread.sleep(3000);
                rows.add(row("phantom-event", "naive dual-write", naiveIds, dataSource, runtime));
                rows.add(row("phantom-event", "outbox", outboxIds, dataSource, runtime));
            }
        }
        return rows;
    }

    /** The outbox path of the create-order use case, with a failure after the append: everything rolls back. */
    static void appendThenFailAndRollBack(javax.sql.DataSource dataSource, List<UUID> ids) throws SQLException {
        var writer = new JdbcOutboxWriter();
        for (UUID id : ids) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    NaiveDualWrite.insertOrder(c, id, UUID.randomUUID());
                    writer.append(c, OutboxMessage.json(UUID.randomUUID(), "order", id.toString(), "order.created",
                            "/order-service/chaos-demo", Instant.now(),
                            JSON.createObjectNode().put("orderId", id.toString()).toString()
                                    .getBytes(StandardCharsets.UTF_8)));
                    NaiveDualWrite.FailingStep.run(c, id);
                    c.commit();
                } catch (SQLException expected) {
                    c.rollback();
                }
            }
        }
    }

    private static Row row(String scenario, String strategy, List<UUID> ids, javax.sql.DataSource ds, LocalRuntime runtime)
            throws SQLException {
        Set<UUID> inDb = OrderLedger.ordersInDb(ds, ids);
        Set<String> keys = OrderLedger.keys(OrderLedger.readAll(runtime.bootstrapServers(), "order.created"));
        int inKafka = 0;
        int lost = 0;
        int phantom = 0;
        for (UUID id : ids) {
            boolean db = inDb.contains(id);
            boolean kafka = keys.contains(id.toString());
            inKafka += kafka ? 1 : 0;
            lost += db && !kafka ? 1 : 0;
            phantom += kafka && !db ? 1 : 0;
        }
        return new Row(scenario, strategy, inDb.size(), inKafka, lost, phantom);
    }

    static void awaitEvents(String bootstrap, Set<UUID> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> keys = OrderLedger.keys(OrderLedger.readAll(bootstrap, "order.created"));
            if (ids.stream().allMatch(id -> keys.contains(id.toString()))) {
                return;
            }
            Thread.sleep(500);
        }
    }

    static UUID createThroughApi(String baseUrl) throws Exception {
        var request = JSON.createObjectNode().put("customerId", UUID.randomUUID().toString());
        request.putArray("items").addObject().put("productId", UUID.randomUUID().toString()).put("quantity", 1)
                .put("unitPrice", new java.math.BigDecimal("10.00"));
        String body = request.toString();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /orders answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).path("orderId").asText());
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String table(List<Row> rows) {
        var sb = new StringBuilder();
        String format = "%-14s | %-17s | %12s | %15s | %4s | %7s%n";
        sb.append(String.format(format, "scenario", "strategy", "orders in DB", "events in Kafka", "lost", "phantom"));
        sb.append("-".repeat(84)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(format, r.scenario(), r.strategy(), r.ordersInDb(), r.eventsInKafka(), r.lost(), r.phantom()));
        }
        return sb.toString();
    }

    private static List<UUID> newIds(int n) {
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }
}
