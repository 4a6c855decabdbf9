package com.example.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.jdbc.DatabaseSchema;
import com.example.order.testing.SharedOrderDatabase;
import com.example.servers.PostgresServer;
import com.example.servers.SharedServers;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.flyway.FlywayConfigurationProperties;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class SchemaMigrationFunctionTest {

    /** Outbox V1 (outbox and inbox), V3 (relay watch), V4 (CDC heartbeat), V5 (inbox fingerprint); no V2. */
    private static final List<String> OUTBOX_VERSIONS = List.of("1", "3", "4", "5");
    private static final List<String> ORDER_VERSIONS = List.of("1");

    @Test
    void migratesAnEmptyDatabaseOutboxFirstThenOrdersAndReportsAppliedVersionsIdempotently() {
        String url = SharedOrderDatabase.createEmptyDatabase();
        Map<String, Object> first = migrateWithTheFunction(url);
        Map<String, Object> second = migrateWithTheFunction(url);

        // The baseline marker 0 (baseline-version) is not a migration and is not reported.
        assertThat(first).containsExactly(
                Map.entry("outbox_schema_history", OUTBOX_VERSIONS),
                Map.entry("order_schema_history", ORDER_VERSIONS));
        assertThat(second).isEqualTo(first);
        assertThat(SharedOrderDatabase.tablesOf(url)).contains("outbox_schema_history", "order_schema_history",
                "outbox_message", "outbox_relay_watch", "outbox_cdc_heartbeat", "inbox_message", "orders",
                "order_items", "idempotency_keys");
    }

    @Test
    void upgradesADatabaseDeployedAtOutboxV3KeepingItsInboxEntriesWithAnUnknownFingerprint() throws SQLException {
        String url = SharedOrderDatabase.createEmptyDatabase();
        // The state a deploy before V4 left: outbox V1 and V3 (Flyway's target stops there), orders V1.
        migrateWithFlyway(url, "db/outbox", "outbox_schema_history", "3");
        migrateWithFlyway(url, "db/order", "order_schema_history", "latest");
        assertThat(SharedOrderDatabase.tablesOf(url)).doesNotContain("outbox_cdc_heartbeat");
        execute(url, "insert into inbox_message (consumer, message_key, received_at)"
                + " values ('cancel-consumer', 'legacy-key', timestamptz '2026-11-01 12:00:00+00')");

        Map<String, Object> result = migrateWithTheFunction(url);

        assertThat(result).containsExactly(
                Map.entry("outbox_schema_history", OUTBOX_VERSIONS),
                Map.entry("order_schema_history", ORDER_VERSIONS));
        assertThat(SharedOrderDatabase.tablesOf(url)).contains("outbox_cdc_heartbeat");
        assertThat(query(url, "select consumer, message_key, received_at = timestamptz '2026-11-01 12:00:00+00'"
                + " as same_time, fingerprint from inbox_message"))
                .containsExactly(Arrays.asList("cancel-consumer", "legacy-key", true, null));
    }

    private static Map<String, Object> migrateWithTheFunction(String url) {
        var context = ApplicationContext.builder(DatabaseSchema.ENVIRONMENT)
                .properties(SharedOrderDatabase.micronautProperties(url)).start();
        try (var function = new SchemaMigrationFunction(context)) {
            return function.handleRequest(Map.of(), new TestLambdaContext());
        }
    }

    /** Plain Flyway with the settings of application-schema-migration.yml, up to {@code target}. */
    private static void migrateWithFlyway(String url, String location, String table, String target) {
        PostgresServer pg = SharedServers.postgres();
        Flyway.configure().dataSource(url, pg.username(), pg.password())
                .locations("classpath:" + location).table(table)
                .baselineOnMigrate(true).baselineVersion("0")
                .target(target)
                .load().migrate();
    }

    private static void execute(String url, String sql) throws SQLException {
        PostgresServer pg = SharedServers.postgres();
        try (var c = DriverManager.getConnection(url, pg.username(), pg.password()); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<List<Object>> query(String url, String sql) throws SQLException {
        PostgresServer pg = SharedServers.postgres();
        try (var c = DriverManager.getConnection(url, pg.username(), pg.password()); var s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            var rows = new ArrayList<List<Object>>();
            while (rs.next()) {
                var row = new ArrayList<Object>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void theDeployedHandlerStartsItsContextInTheMigrationEnvironment() {
        // The no-arg constructor is what Lambda calls; the pool connects lazily, so no database is needed here.
        try (var function = new SchemaMigrationFunction()) {
            assertThat(function.getApplicationContext().getEnvironment().getActiveNames())
                    .contains(DatabaseSchema.ENVIRONMENT);
            assertThat(function.getApplicationContext().getBeansOfType(FlywayConfigurationProperties.class))
                    .extracting(FlywayConfigurationProperties::getNameQualifier)
                    .containsExactlyInAnyOrderElementsOf(DatabaseSchema.SCHEMAS);
        }
    }
}
