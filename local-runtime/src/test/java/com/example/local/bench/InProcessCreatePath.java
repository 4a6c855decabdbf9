package com.example.local.bench;

import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.app.TraceContext;
import com.example.order.app.Transactions;
import com.example.order.domain.OrderDraft;
import com.example.order.data.OrderStore;
import com.example.outbox.RelayWakeUpOnCommit;
import com.example.outbox.jdbc.JdbcInbox;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.JdbcRelayWatch;
import com.example.wakeup.LambdaRelayWakeUp;
import com.example.wakeup.WakeUpMetrics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * create-order's create path without the HTTP layer, so this 2-core machine can offer 1,000 orders/s (through
 * HTTP the function path tops out far below that here; docs/benchmarks.md, issue 15). N simulated execution
 * environments, each wired exactly as {@code OrderServiceFactory} wires the function: a Hikari pool with the
 * function's settings (max 2, min idle 0), order-core's {@code CreateOrder} over its {@code OrderStore} (Micronaut Data JDBC) with the
 * real {@code JdbcOutboxWriter} tracked by its own {@link RelayWakeUpOnCommit} (the watch read, the AWS SDK
 * {@link LambdaRelayWakeUp} client, EMF metrics, create-order-fn's application.yml settings: debounce 1 s, hand-off
 * wait 100 ms, timeout 2 s). Each environment serves one request at a time, as a Lambda execution environment does.
 *
 * <p>Unlike Lambda, the environments share one JVM (one JIT, one heap) and the machine's 2 cores with the database,
 * the broker and the relay.
 */
final class InProcessCreatePath implements AutoCloseable {

    private static final String EVENT_SOURCE = "/order-service/create-order-fn";

    private record Environment(HikariDataSource pool, OrderStore store, RelayWakeUpOnCommit wakeUp, CreateOrder createOrder) {
    }

    /** One order: when its commit returned (nanoTime) and its {@code created_at} (epoch ms). */
    record Created(long committedNanos, long createdAtMillis) {
    }

    /** A steady-rate load's outcome; {@code skipped}: due while every environment was busy, not sent. */
    record Load(Map<String, Created> created, long failed, long skipped, double achievedRate, List<Long> createNanos) {
        double createP(int p) {
            return LatencyBenchmark.pct(createNanos, p) / 1e6;
        }
    }

    private final List<Environment> environments = new ArrayList<>();
    private final LinkedBlockingQueue<Environment> idle = new LinkedBlockingQueue<>();
    private final ExecutorService workers;

    /**
     * @param lambdaEndpoint the Lambda endpoint the environments' SDK clients use (the SDK's {@code aws.endpointUrlLambda}
     *                       is set to it while they are built, then restored)
     */
    InProcessCreatePath(String jdbcUrl, String username, String password, int count, String functionArn,
            String lambdaEndpoint) {
        String previous = System.getProperty("aws.endpointUrlLambda");
        System.setProperty("aws.endpointUrlLambda", lambdaEndpoint);
        try {
            List<LambdaRelayWakeUp> clients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                var config = new HikariConfig();
                config.setJdbcUrl(jdbcUrl);
                config.setUsername(username);
                config.setPassword(password);
                config.setMaximumPoolSize(2);
                config.setMinimumIdle(0);
                config.setInitializationFailTimeout(-1);
                var pool = new HikariDataSource(config);
                var client = new LambdaRelayWakeUp(functionArn, "create-order", Duration.ofSeconds(2));
                clients.add(client);
                var wakeUp = new RelayWakeUpOnCommit(new JdbcRelayWatch(pool), client,
                        new RelayWakeUpOnCommit.Settings(Duration.ofSeconds(1), Duration.ofMillis(100)),
                        new WakeUpMetrics("OrderService/RelayWakeUp", "create-order"));
                var store = OrderStore.open(pool);
                Transactions committing = store.transactions(wakeUp.tracking(new JdbcOutboxWriter()), new JdbcInbox(),
                        EVENT_SOURCE);
                Transactions transactions = new Transactions() {
                    @Override
                    public <T> T inTransaction(TransactionalWork<T> work) {
                        return wakeUp.afterCommitOf(() -> committing.inTransaction(work));
                    }
                };
                var environment = new Environment(pool, store, wakeUp, new CreateOrder(transactions, Clock.systemUTC()));
                environments.add(environment);
                idle.add(environment);
            }
            // The clients are built on background threads from the endpoint set above: wait for each build to finish
            // before the property is restored (a refused connection here is the unreachable set's expected outcome).
            for (LambdaRelayWakeUp client : clients) {
                try {
                    client.wakeUp();
                } catch (Exception expectedWhenUnreachable) {
                    // the client exists now; nothing else to learn here
                }
            }
        } finally {
            if (previous == null) {
                System.clearProperty("aws.endpointUrlLambda");
            } else {
                System.setProperty("aws.endpointUrlLambda", previous);
            }
        }
        workers = Executors.newFixedThreadPool(count, Thread.ofPlatform().name("create-env-", 0).factory());
    }

    /** One order through an idle environment, waiting for one; warms the JIT before a measured load. */
    void warmUp(int orders) throws InterruptedException {
        for (int i = 0; i < orders; i++) {
            Environment e = idle.take();
            try {
                create(e);
            } finally {
                idle.add(e);
            }
        }
    }

    /** {@code rate} orders per second for {@code seconds}, each handed to an idle environment when it is due. */
    Load steadyLoad(int rate, int seconds) throws InterruptedException {
        var created = new ConcurrentHashMap<String, Created>();
        List<Long> createNanos = new CopyOnWriteArrayList<>();
        var failed = new AtomicLong();
        var done = new AtomicLong();
        long skipped = 0;
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long dispatched = 0;
        while (dispatched < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            while (dispatched < due) {
                dispatched++;
                Environment e = idle.poll();
                if (e == null) {
                    skipped++; // Lambda would start another environment; here the order is not sent
                    continue;
                }
                long t0 = System.nanoTime();
                workers.execute(() -> {
                    try {
                        var order = create(e);
                        long t1 = System.nanoTime();
                        createNanos.add(t1 - t0);
                        created.put(order.id().toString(), new Created(t1, order.createdAt().toEpochMilli()));
                    } catch (RuntimeException ex) {
                        failed.incrementAndGet();
                    } finally {
                        idle.add(e);
                        done.incrementAndGet();
                    }
                });
            }
            LockSupport.parkNanos(200_000);
        }
        long sendingTook = System.nanoTime() - start;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() + skipped < total && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return new Load(created, failed.get(), skipped, created.size() * 1e9 / sendingTook, createNanos);
    }

    /** Wake-up decisions summed over the environments. */
    RelayWakeUpOnCommit.Counts counts() {
        long sent = 0, failed = 0, watched = 0, debounced = 0, checks = 0;
        for (Environment e : environments) {
            var c = e.wakeUp().counts();
            sent += c.sent();
            failed += c.failed();
            watched += c.skippedWatched();
            debounced += c.skippedDebounced();
            checks += c.checks();
        }
        return new RelayWakeUpOnCommit.Counts(sent, failed, watched, debounced, checks);
    }

    private static com.example.order.domain.Order create(Environment e) {
        var draft = new OrderDraft(UUID.randomUUID(), List.of(
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("5.00"))));
        var result = e.createOrder().create(new CreateOrderCommand(draft, null, TraceContext.none()));
        if (!(result instanceof CreateOrderResult.Created c)) {
            throw new IllegalStateException(result.toString());
        }
        return c.order();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        for (Environment e : environments) {
            e.wakeUp().close();
            e.store().close();
            e.pool().close();
        }
    }
}
