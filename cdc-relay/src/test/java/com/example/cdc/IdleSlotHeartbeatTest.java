package com.example.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.testkit.OutboxTestbed;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The idle-slot problem (ADR 0082): the connector's publication holds only the outbox, so while the outbox gets no
 * rows and other tables keep writing WAL, the connector reads nothing, confirms nothing, and its slot holds all that
 * WAL. The shared configuration's heartbeat ({@code heartbeat.interval.ms} with {@code heartbeat.action.query} upserting
 * {@code outbox_cdc_heartbeat}, which is in the publication) gives it a change to read and confirm every interval;
 * the Filter transform drops those changes and Debezium's heartbeat records, so nothing reaches any topic.
 */
class IdleSlotHeartbeatTest {

    @Test
    void heartbeatsMoveAnIdleOutboxSlotPastOtherTablesWritesAndPublishNothing() throws Exception {
        try (var slot = new TestCdcRelays.Slot()) {
            var settings = slot.settings(Duration.ofMillis(200));
            // The shared 10 s interval, shortened so the test takes seconds; the mechanism is the same.
            settings = settings.withConnectorOverrides(with(settings.connectorOverrides(), "heartbeat.interval.ms", "500"));
            assertThat(OutboxConnectorConfig.get("heartbeat.interval.ms")).isEqualTo("10000");
            try (var relay = CdcRelay.start(settings)) {
                relay.awaitStreaming(Duration.ofSeconds(60));
                String written = writeOtherTables();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!confirmedPast(slot.name, written) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(confirmedPast(slot.name, written))
                        .as("the slot confirmed the WAL other tables wrote while the outbox was idle").isTrue();
                assertThat(relay.published()).as("heartbeats are never published").isZero();
                assertThat(relay.finished()).as("the relay is still running").isNotDone();
            }
            try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    OutboxTestbed.kafka().bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).as("no heartbeat topic, no heartbeat table topic")
                        .noneMatch(t -> t.contains("heartbeat"));
            }
        }
    }

    @Test
    void withoutTheHeartbeatTheIdleSlotStaysBehind() throws Exception {
        try (var slot = new TestCdcRelays.Slot()) {
            var settings = slot.settings(Duration.ofMillis(200));
            settings = settings.withConnectorOverrides(with(settings.connectorOverrides(), "heartbeat.interval.ms", "0"));
            try (var relay = CdcRelay.start(settings)) {
                relay.awaitStreaming(Duration.ofSeconds(60));
                String written = writeOtherTables();
                Thread.sleep(5_000); // ten times the heartbeat interval of the test above
                assertThat(confirmedPast(slot.name, written))
                        .as("nothing in the publication changed, so nothing was confirmed: the remedy is needed").isFalse();
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /** Writes WAL outside the publication (as orders and inbox do) and returns the position after it. */
    private static String writeOtherTables() throws SQLException {
        try (var c = OutboxTestbed.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists cdc_heartbeat_test_other (id bigserial primary key, note text)");
            for (int i = 0; i < 20; i++) {
                s.execute("insert into cdc_heartbeat_test_other (note) select md5(g::text) from generate_series(1, 200) g");
            }
            try (var rs = s.executeQuery("select pg_current_wal_lsn()::text")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static boolean confirmedPast(String slot, String lsn) throws SQLException {
        try (var c = OutboxTestbed.dataSource().getConnection();
                var s = c.prepareStatement("select coalesce(confirmed_flush_lsn >= ?::pg_lsn, false)"
                        + " from pg_replication_slots where slot_name = ?")) {
            s.setString(1, lsn);
            s.setString(2, slot);
            try (var rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

}
