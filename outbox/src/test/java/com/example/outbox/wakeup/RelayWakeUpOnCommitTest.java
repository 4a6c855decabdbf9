package com.example.outbox.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.OutboxMessage;
import com.example.outbox.OutboxWriter;
import com.example.outbox.RelayWakeUpOnCommit;
import com.example.outbox.RelayWatchLease;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import com.example.outbox.jdbc.JdbcRelayWatch;
import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The after-commit wake-up and the relay watch, against real PostgreSQL (ADR 0014). */
class RelayWakeUpOnCommitTest {

    static final DataSource dataSource = migrated();
    final JdbcRelayWatch watch = new JdbcRelayWatch(dataSource);
    final AtomicInteger wakeUps = new AtomicInteger();
    final List<String> listened = new CopyOnWriteArrayList<>();
    final RelayWakeUpOnCommit.Listener listener = new RelayWakeUpOnCommit.Listener() {
        @Override
        public void sent(Duration took) {
            listened.add("sent");
        }

        @Override
        public void failed(Exception cause, Duration took) {
            listened.add("failed: " + cause.getMessage());
        }
    };

    private static DataSource migrated() {
        var pg = SharedServers.postgres();
        var ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        ds.setUser(pg.username());
        ds.setPassword(pg.password());
        OutboxSchema.migrate(ds);
        return ds;
    }

    @BeforeEach
    void clean() throws SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("delete from outbox_relay_watch");
        }
    }

    RelayWakeUpOnCommit onCommit(Duration debounce) {
        return new RelayWakeUpOnCommit(watch, wakeUps::incrementAndGet,
                // A long hand-off wait: the caller returns as soon as the check is done, so counts are final afterwards.
                new RelayWakeUpOnCommit.Settings(debounce, Duration.ofSeconds(5)), listener);
    }

    /** One transaction through {@code writer} that appends a row (or not), committed. */
    static void commit(RelayWakeUpOnCommit wake, OutboxWriter writer, boolean append) {
        wake.afterCommitOf(() -> {
            try (var c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                if (append) {
                    writer.append(c, new OutboxMessage(UUID.randomUUID(), "order", UUID.randomUUID().toString(),
                            "wake-up-test", "/test", "application/json", Instant.now(),
                            "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
                }
                c.commit();
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void wakesARelayAfterACommitThatAppendedWhenNoneWatches() {
        try (var wake = onCommit(Duration.ZERO)) {
            OutboxWriter writer = wake.tracking(new JdbcOutboxWriter());
            commit(wake, writer, false);
            assertThat(wakeUps).as("a transaction without outbox rows wakes nothing").hasValue(0);
            commit(wake, writer, true);
            assertThat(wakeUps).hasValue(1);
            assertThat(listened).containsExactly("sent");
        }
    }

    @Test
    void aRolledBackTransactionWakesNothing() {
        try (var wake = onCommit(Duration.ZERO)) {
            OutboxWriter writer = wake.tracking(new JdbcOutboxWriter());
            assertThatThrownBy(() -> wake.afterCommitOf(() -> {
                try (var c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    writer.append(c, new OutboxMessage(UUID.randomUUID(), "order", "a", "t", "/test",
                            "application/json", Instant.now(), new byte[0], Map.of()));
                    c.rollback();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("work failed");
            })).hasMessage("work failed");
            assertThat(wakeUps).hasValue(0);
        }
    }

    @Test
    void noWakeUpWhileARelayWatchesAndOneAfterItReleased() throws Exception {
        try (var wake = onCommit(Duration.ZERO)) {
            OutboxWriter writer = wake.tracking(new JdbcOutboxWriter());
            var lease = RelayWatchLease.start(watch, Duration.ofSeconds(3), () -> 60_000, 0);
            for (int i = 0; i < 5; i++) {
                commit(wake, writer, true);
            }
            assertThat(wakeUps).as("a relay watches").hasValue(0);
            assertThat(wake.counts().skippedWatched()).isEqualTo(5);
            lease.release();
            commit(wake, writer, true);
            assertThat(wakeUps).hasValue(1);
        }
    }

    @Test
    void overlappingRelaysDoNotReleaseEachOthersWatch() throws Exception {
        var first = RelayWatchLease.start(watch, Duration.ofSeconds(3), () -> 60_000, 0);
        var second = RelayWatchLease.start(watch, Duration.ofSeconds(3), () -> 60_000, 0);
        first.release();
        assertThat(watch.isWatched()).isTrue();
        second.release();
        assertThat(watch.isWatched()).isFalse();
    }

    @Test
    void aWatchEndsWhenTheRelayStopsExtendingIt() throws Exception {
        watch.watch("dead-relay", Duration.ofMillis(300));
        assertThat(watch.isWatched()).isTrue();
        Thread.sleep(400);
        assertThat(watch.isWatched()).as("a relay that died stops counting after its lease").isFalse();
    }

    @Test
    void theLeaseReleasesItselfWhenTheRunsTimeIsRunningOut() throws Exception {
        var remaining = new java.util.concurrent.atomic.AtomicLong(60_000);
        var lease = RelayWatchLease.start(watch, Duration.ofMillis(300), remaining::get, 35_000);
        assertThat(watch.isWatched()).isTrue();
        remaining.set(34_000);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!lease.isReleased() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lease.isReleased()).isTrue();
        assertThat(watch.isWatched()).isFalse();
    }

    /** A short invocation (less left than the release point from the start) never watches, and starting is safe. */
    @Test
    void aRunThatStartsBelowTheReleasePointNeverWatches() throws Exception {
        try (var lease = RelayWatchLease.start(watch, Duration.ofMillis(300), () -> 25_000, 36_000)) {
            assertThat(lease.isReleased()).isTrue();
            assertThat(watch.isWatched()).isFalse();
        }
    }

    @Test
    void debouncedPerInstance() {
        try (var wake = onCommit(Duration.ofSeconds(30))) {
            OutboxWriter writer = wake.tracking(new JdbcOutboxWriter());
            for (int i = 0; i < 20; i++) {
                commit(wake, writer, true);
            }
            assertThat(wakeUps).hasValue(1);
            assertThat(wake.counts().skippedDebounced()).isEqualTo(19);
        }
    }

    @Test
    void aFailingOrHangingWakeUpNeitherFailsNorHoldsTheCaller() {
        var hanging = new RelayWakeUpOnCommit(watch, () -> {
            Thread.sleep(5_000);
        }, new RelayWakeUpOnCommit.Settings(Duration.ZERO, Duration.ofMillis(50)), listener);
        var failing = new RelayWakeUpOnCommit(watch, () -> {
            throw new java.net.ConnectException("Connection refused");
        }, new RelayWakeUpOnCommit.Settings(Duration.ZERO, Duration.ofMillis(50)), listener);
        try (hanging; failing) {
            long started = System.nanoTime();
            commit(hanging, hanging.tracking(new JdbcOutboxWriter()), true);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(tookMs).as("bounded by the hand-off wait, not the 5 s wake-up").isLessThan(1_000);

            commit(failing, failing.tracking(new JdbcOutboxWriter()), true);
            awaitFailures(failing, 1); // on a loaded machine the check may outlast the 50 ms hand-off wait
            commit(failing, failing.tracking(new JdbcOutboxWriter()), true);
            awaitFailures(failing, 2);
            assertThat(failing.counts().failed()).isEqualTo(2);
            // The count rises before the listener runs, on the wake-up's own thread.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (listened.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(listened).containsExactly("failed: Connection refused", "failed: Connection refused");
        }
    }

    private static void awaitFailures(RelayWakeUpOnCommit wake, long failures) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (wake.counts().failed() < failures && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void commitsThatLandWhileACheckIsQueuedShareIt() throws Exception {
        var slow = new RelayWakeUpOnCommit(watch, () -> {
            Thread.sleep(200);
            wakeUps.incrementAndGet();
        }, new RelayWakeUpOnCommit.Settings(Duration.ZERO, Duration.ofMillis(1)), listener);
        try (slow) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                threads.add(Thread.ofPlatform().start(slow::committed));
            }
            for (Thread t : threads) {
                t.join();
            }
            Thread.sleep(800);
            // One check runs, at most one more is queued behind it; never one per commit.
            assertThat(slow.counts().checks()).isBetween(1L, 2L);
        }
    }
}
