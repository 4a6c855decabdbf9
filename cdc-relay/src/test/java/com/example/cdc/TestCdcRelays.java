package com.example.cdc;

import com.example.outbox.testkit.OutboxTestbed;
import com.example.servers.SharedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * CDC relays on the shared embedded PostgreSQL ({@code wal_level=logical}, set by this module's Surefire
 * configuration) and Kafka: each {@link Slot} is one relay identity with its own replication slot, publication and
 * offsets file, like one deployed connector; starting it again resumes where it stopped.
 */
final class TestCdcRelays {

    private TestCdcRelays() {
    }

    /** One connector identity: slot, publication, offsets file, topic prefix (its metrics name). */
    static final class Slot implements AutoCloseable {
        final String name = "kit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        private final Path offsets;

        Slot() {
            OutboxTestbed.dataSource();
            try {
                offsets = Files.createTempFile("cdc-offsets-" + name, ".dat");
                Files.delete(offsets);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        CdcRelaySettings settings(Duration offsetFlush) {
            var pg = SharedServers.postgres();
            return CdcRelaySettings.of(pg.jdbcUrl(), pg.username(), pg.password(),
                            OutboxTestbed.kafka().bootstrapServers(), offsets)
                    .withOffsetFlushInterval(offsetFlush)
                    .withConnectorOverrides(Map.of("slot.name", name, "publication.name", name, "topic.prefix", name,
                            // Reconnect quickly after a database restart (defaults: 300 ms doubling up to 10 s).
                            "errors.retry.delay.max.ms", "1000", "retriable.restart.connector.wait.ms", "1000"))
                    .withProducerOverrides(Map.of("max.request.size", 5_000_000, "reconnect.backoff.max.ms", 500));
        }

        CdcRelay start() {
            return CdcRelay.start(settings(Duration.ofMillis(200)));
        }

        CdcRelay start(CdcRelay.AfterAck afterAck) {
            return CdcRelay.start(settings(Duration.ofMillis(200)), afterAck);
        }

        /** Drops the replication slot and publication (the slot would otherwise keep WAL forever). */
        @Override
        public void close() throws SQLException, InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try (var c = OutboxTestbed.dataSource().getConnection(); var s = c.createStatement()) {
                while (System.nanoTime() < deadline) {
                    try (var rs = s.executeQuery("select active from pg_replication_slots where slot_name = '" + name + "'")) {
                        if (!rs.next()) {
                            break;
                        }
                        if (!rs.getBoolean(1)) {
                            s.execute("select pg_drop_replication_slot('" + name + "')");
                            break;
                        }
                    }
                    Thread.sleep(100);
                }
                s.execute("drop publication if exists " + name);
            }
            try {
                Files.deleteIfExists(offsets);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
