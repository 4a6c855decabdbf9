package com.example.campaign;

import com.example.local.EsmPoller;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs one {@link Schedule} on a {@link Cluster}: load and faults for the schedule's length, then heals everything
 * (broker and database up, relays thawed and topped up), waits until the outbox is empty and the consumer has caught
 * up, and hands the database and the topics to the {@link Checker}.
 */
final class ScheduleRun {

    /** The outcome: violations (empty if none), what was injected, what was checked, how long it took. */
    record Result(Schedule schedule, List<Checker.Violation> violations, List<String> history,
            Map<Schedule.Kind, Integer> injected, int killsBetweenSendAndMark, Checker.Counts counts,
            Map<String, Integer> consumerFaults, Map<Integer, Integer> statuses, Duration took) {
    }

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);

    private final Cluster cluster;
    private final Schedule schedule;
    private final FaultyDelivery delivery;
    private final History history = new History();
    private final Random random;
    private final Map<Schedule.Kind, Integer> injected = new EnumMap<>(Schedule.Kind.class);
    private final Set<String> seenOnTopic = ConcurrentHashMap.newKeySet();
    private volatile int killsBetweenSendAndMark;
    private volatile boolean stopping;
    private volatile EsmPoller poller;
    private volatile boolean mappingClosed;

    ScheduleRun(Cluster cluster, Schedule schedule, FaultyDelivery delivery) {
        this.cluster = cluster;
        this.schedule = schedule;
        this.delivery = delivery;
        this.random = new Random(schedule.seed() * 7 + 3);
    }

    Result run() throws Exception {
        long started = System.nanoTime();
        String bootstrap = cluster.kafka.bootstrapServers();
        cluster.resetDatabase();
        var createdFrom = Topics.endOffsets(bootstrap, Cluster.ORDER_CREATED);
        var deadLettersFrom = Topics.endOffsets(bootstrap, Cluster.DEAD_LETTERS);
        var inputsFrom = Topics.endOffsets(bootstrap, Cluster.ORDER_CANCELLED);
        topUpRelays();
        delivery.use(schedule, history);
        startEventSourceMapping();
        Thread tail = Thread.ofPlatform().daemon().name("tail").start(() -> tail(bootstrap, createdFrom));

        var clients = new OrderClients(cluster.createOrder, schedule, history);
        var publisher = new CancellationPublisher(bootstrap, schedule, clients, history);
        history.add("schedule %s", schedule.describe());
        long loadStart = System.nanoTime();
        List<Thread> clientThreads = clients.start();
        publisher.start();
        Thread faults = Thread.ofPlatform().name("faults").start(() -> injectFaults(loadStart));
        Thread.sleep(schedule.load());
        stopping = true;
        clients.stop();
        publisher.stop();
        for (Thread t : clientThreads) {
            t.join();
        }
        faults.join();
        heal();
        history.add("load over; waiting for the outbox to drain and the consumer to catch up");
        List<Checker.Violation> violations = new ArrayList<>();
        if (!awaitDrained()) {
            violations.add(new Checker.Violation("drained", "the outbox did not drain or the consumer did not catch up"
                    + " within " + DRAIN_LIMIT.toSeconds() + " s after healing", Set.of()));
        }
        mappingClosed = true;
        poller.close();
        tail.interrupt();
        var checker = new Checker();
        violations.addAll(checker.check(cluster.dataSource, clients.requests,
                Topics.read(bootstrap, Cluster.ORDER_CREATED, createdFrom),
                Topics.read(bootstrap, Cluster.DEAD_LETTERS, deadLettersFrom),
                Topics.read(bootstrap, Cluster.ORDER_CANCELLED, inputsFrom)));
        Set<String> ids = new HashSet<>();
        violations.forEach(v -> ids.addAll(v.ids()));
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        clients.statusCounts.forEach((s, n) -> statuses.put(s, n.get()));
        return new Result(schedule, violations, violations.isEmpty() ? List.of() : history.relevantTo(ids), injected,
                killsBetweenSendAndMark, checker.counts,
                Map.of("lost responses", delivery.lostResponses.get(), "dropped deliveries", delivery.droppedDeliveries.get(),
                        "redelivered batches", delivery.redeliveries.get()),
                statuses, Duration.ofNanos(System.nanoTime() - started));
    }

    private void startEventSourceMapping() {
        var started = cluster.startEventSourceMapping(delivery);
        poller = started;
        Thread.ofPlatform().daemon().name("esm-watch").start(() -> {
            try {
                started.awaitStopped();
                if (!mappingClosed) {
                    history.add("event source mapping stopped on an error; starting it again, as Lambda's would retry");
                    startEventSourceMapping();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private synchronized void topUpRelays() {
        List<RelayProcess> live = cluster.liveRelays();
        var starting = new ArrayList<Thread>();
        for (int i = live.size(); i < schedule.relays(); i++) {
            starting.add(Thread.ofPlatform().start(() -> history.add("relay %s started", cluster.startRelay())));
        }
        for (int i = schedule.relays(); i < live.size(); i++) {
            live.get(i).kill();
        }
        for (Thread t : starting) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts each fault at its time in a thread of its own, so faults overlap (a relay frozen during a database
     * restart); faults on the same server wait for each other. Returns when all have ended.
     */
    private void injectFaults(long loadStart) {
        List<Thread> running = new ArrayList<>();
        for (Schedule.Fault fault : schedule.faults()) {
            long wait = loadStart + fault.at().toNanos() - System.nanoTime();
            if (wait > 0) {
                sleep(Duration.ofNanos(wait));
            }
            if (stopping) {
                break;
            }
            running.add(Thread.ofPlatform().name("fault-" + fault.kind()).start(() -> {
                try {
                    inject(fault);
                    synchronized (injected) {
                        injected.merge(fault.kind(), 1, Integer::sum);
                    }
                } catch (RuntimeException e) {
                    history.fault("%s could not be injected: %s", fault.kind(), e);
                }
            }));
        }
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void inject(Schedule.Fault fault) {
        switch (fault.kind()) {
            case BROKER_RESTART -> {
                synchronized (cluster.kafka) {
                    restartBroker(fault);
                }
            }
            case POSTGRES_RESTART_FAST, POSTGRES_RESTART_IMMEDIATE -> {
                synchronized (cluster.postgres) {
                    restartPostgres(fault);
                }
            }
            case RELAY_KILL -> {
                List<RelayProcess> live = cluster.liveRelays();
                if (!live.isEmpty()) {
                    RelayProcess victim = live.get(random.nextInt(live.size()));
                    victim.kill();
                    history.fault("SIGKILL %s", victim);
                }
                sleep(fault.length());
                topUpRelays();
            }
            case RELAY_KILL_IN_FLIGHT -> killInFlight(fault);
            case RELAY_FREEZE -> {
                List<RelayProcess> live = cluster.liveRelays();
                if (live.isEmpty()) {
                    return;
                }
                RelayProcess victim = live.get(random.nextInt(live.size()));
                victim.freeze();
                history.fault("SIGSTOP %s for %d ms (claim hold limit %d s)", victim, fault.length().toMillis(),
                        Cluster.CLAIM_HOLD_LIMIT_SECONDS);
                sleep(fault.length());
                victim.thaw();
                history.fault("SIGCONT %s", victim);
            }
        }
    }

    private void restartBroker(Schedule.Fault fault) {
        history.fault("broker stopping");
        cluster.kafka.stop();
        history.fault("broker stopped for %d ms", fault.length().toMillis());
        sleep(fault.length());
        cluster.kafka.start();
        history.fault("broker started");
    }

    private void restartPostgres(Schedule.Fault fault) {
        var mode = fault.kind() == Schedule.Kind.POSTGRES_RESTART_FAST ? Cluster.ShutdownMode.FAST
                : Cluster.ShutdownMode.IMMEDIATE;
        history.fault("PostgreSQL %s shutdown", mode);
        cluster.stopPostgres(mode);
        history.fault("PostgreSQL down for %d ms", fault.length().toMillis());
        sleep(fault.length());
        cluster.startPostgres();
        history.fault("PostgreSQL started");
    }

    /**
     * SIGKILL between send and mark: freezes every relay, then looks for events that are on the topic but still
     * pending in the outbox (sent and acknowledged, not yet recorded). If there are any, every relay is killed while
     * frozen, so the one that sent them dies before it marks them. Otherwise the relays are thawed and it tries
     * again a little later; after 20 tries it kills them anyway (counted as not between send and mark).
     */
    private void killInFlight(Schedule.Fault fault) {
        for (int attempt = 0; attempt < 20 && !stopping; attempt++) {
            List<RelayProcess> live = cluster.liveRelays();
            if (live.isEmpty()) {
                break;
            }
            live.forEach(RelayProcess::freeze);
            sleep(Duration.ofMillis(100)); // lets the topic tail read what was acknowledged before the freeze
            Set<String> inFlight = pendingOnTopic();
            if (!inFlight.isEmpty() || attempt == 19) {
                live.forEach(RelayProcess::kill);
                if (!inFlight.isEmpty()) {
                    killsBetweenSendAndMark++;
                }
                history.fault("SIGKILL %s while frozen, %d event(s) sent and acknowledged but not marked: %s", live,
                        inFlight.size(), inFlight.stream().limit(5).toList());
                sleep(fault.length());
                topUpRelays();
                return;
            }
            live.forEach(RelayProcess::thaw);
            sleep(Duration.ofMillis(30 + random.nextInt(200)));
        }
    }

    private Set<String> pendingOnTopic() {
        Set<String> pending = new HashSet<>();
        try (Connection c = cluster.dataSource.getConnection();
                var rs = c.createStatement().executeQuery("select message_id::text from outbox_message")) {
            while (rs.next()) {
                if (seenOnTopic.contains(rs.getString(1))) {
                    pending.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            // the database is down: nothing known
        }
        return pending;
    }

    /** Follows order.created during the schedule, collecting ce_ids (for killInFlight). */
    private void tail(String bootstrap, Map<TopicPartition, Long> from) {
        try (var consumer = Topics.consumer(bootstrap)) {
            consumer.assign(Topics.partitions(Cluster.ORDER_CREATED));
            from.forEach(consumer::seek);
            while (!Thread.currentThread().isInterrupted()) {
                for (var r : consumer.poll(Duration.ofMillis(20))) {
                    var ceId = r.headers().lastHeader("ce_id");
                    if (ceId != null) {
                        seenOnTopic.add(new String(ceId.value(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // schedule over
        }
    }

    private void heal() {
        cluster.kafka.start();
        cluster.startPostgres();
        cluster.liveRelays().forEach(RelayProcess::thaw);
        topUpRelays();
        history.add("healed: broker and PostgreSQL up, relays %s", cluster.liveRelays());
    }

    /** True once the outbox is empty and the consumer group has committed every input, twice in a row. */
    private boolean awaitDrained() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        int quiet = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                if (cluster.liveRelays().size() < schedule.relays()) {
                    topUpRelays(); // a replacement started while the database was down may have failed
                }
                quiet = drained(admin) ? quiet + 1 : 0;
                if (quiet >= 2) {
                    return true;
                }
                Thread.sleep(250);
            }
        }
        return false;
    }

    private boolean drained(Admin admin) {
        try (Connection c = cluster.dataSource.getConnection();
                var rs = c.createStatement().executeQuery("select count(*) from outbox_message")) {
            rs.next();
            if (rs.getLong(1) != 0) {
                return false;
            }
            var committed = admin.listConsumerGroupOffsets(Cluster.CONSUMER_GROUP).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            var end = Topics.endOffsets(cluster.kafka.bootstrapServers(), Cluster.ORDER_CANCELLED);
            for (var e : end.entrySet()) {
                var offset = committed.get(e.getKey());
                long at = offset == null ? 0 : offset.offset();
                if (at < e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
