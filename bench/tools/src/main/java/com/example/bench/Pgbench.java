package com.example.bench;

import com.example.order.domain.Order;
import com.example.order.domain.OrderCreated;
import com.example.order.domain.OrderDraft;
import com.example.order.events.OrderEventJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database's own rate for the create transaction: PostgreSQL's {@code pgbench} client (C, prepared statements)
 * writing the rows order-core's order store ({@code OrderRows.save}, {@code OrderItemRows.saveAll}) and
 * {@code JdbcOutboxWriter.append} write for a one-item order without an Idempotency-Key (order row, item row, outbox
 * row, commit), with a payload that
 * {@code OrderEventJson} really produces. Ids are derived server-side from pgbench random numbers (md5 cast to uuid),
 * so no extra round trip is spent on them. Latencies come from pgbench's per-transaction log.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final String binary;
    private final Path workDir;
    private final Path script;
    private final int port;
    private final String user;
    private final String password;
    private final String database;

    private Pgbench(String binary, Path workDir, Path script, int port, String user, String password, String database) {
        this.binary = binary;
        this.workDir = workDir;
        this.script = script;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
    }

    /** Finds pgbench on the PATH (Debian: postgresql-client); null when missing. */
    static String locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).map(Path::toString)
                        .findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    static Pgbench prepare(String binary, Path workDir, int port, String user, String password, String database)
            throws IOException {
        Files.createDirectories(workDir);
        Path script = workDir.resolve("create-order.sql");
        Files.writeString(script, script(), StandardCharsets.UTF_8);
        return new Pgbench(binary, workDir, script, port, user, password, database);
    }

    /** The transaction, as pgbench script text. */
    static String script() {
        var draft = new OrderDraft(UUID.randomUUID(), List.of(
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.TWO, new BigDecimal("19.99"))));
        Order order = Order.place(UUID.randomUUID(), draft, Instant.now());
        String payload = new String(OrderEventJson.encode(OrderCreated.of(UUID.randomUUID(), order)),
                StandardCharsets.UTF_8).replace("'", "''");
        return """
                \\set r1 random(1, 9000000000000000000)
                \\set r2 random(1, 9000000000000000000)
                BEGIN;
                insert into orders (id, customer_id, status, total_amount, cancel_reason, cancelled_at, created_at, updated_at, version) values (md5(:r1 || '-' || :r2)::uuid, md5(:r2 || '-c')::uuid, 'CREATED', 39.98, null, null, now(), now(), 0);
                insert into order_items (order_id, line_no, product_id, quantity, unit_price) values (md5(:r1 || '-' || :r2)::uuid, 0, md5(:r1 || '-p')::uuid, 2, 19.99);
                insert into outbox_message (message_id, aggregate_type, aggregate_id, event_type, source, content_type, occurred_at, payload, headers) values (md5(:r2 || '-' || :r1)::uuid, 'order', md5(:r1 || '-' || :r2)::uuid::text, 'order.created', '/order-service/create-order-fn', 'application/json', now(), convert_to('%s', 'UTF8'), '{}'::jsonb);
                END;
                """.formatted(payload);
    }

    ClosedLoop.Result run(int clients, double seconds) throws IOException, InterruptedException {
        Path logDir = Files.createTempDirectory(workDir, "log");
        var command = List.of(binary, "-n", "-f", script.toString(), "-c", String.valueOf(clients),
                "-j", String.valueOf(Math.min(clients, 2)), "-T", String.valueOf(Math.max(1, Math.round(seconds))),
                "-M", "prepared", "-l", "--log-prefix=" + logDir.resolve("tx"),
                "-h", "localhost", "-p", String.valueOf(port), "-U", user, database);
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("No tps in pgbench output:\n" + output);
        }
        var latencies = new Latencies();
        long failed = 0;
        try (Stream<Path> logs = Files.list(logDir)) {
            for (Path log : logs.toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.split(" ");
                    // client_id transaction_no time script_no time_epoch time_us; time is "failed"/"skipped" on errors
                    if (f.length > 2 && f[2].chars().allMatch(Character::isDigit)) {
                        latencies.add(Long.parseLong(f[2]) * 1_000);
                    } else {
                        failed++;
                    }
                }
                Files.delete(log);
            }
        }
        Files.delete(logDir);
        Latencies sorted = Latencies.merge(List.of(latencies));
        return new ClosedLoop.Result(Double.parseDouble(tps.group(1)), sorted, failed, null);
    }
}
