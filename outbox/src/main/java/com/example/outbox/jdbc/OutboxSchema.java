package com.example.outbox.jdbc;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The outbox's own tables, migrated with Flyway from {@code classpath:db/outbox} into their own history
 * table, so the outbox can evolve its schema independently of the application that embeds it.
 *
 * <p>Run once per deploy or start, never on every Lambda cold start. This is the outbox library's own, framework-free
 * entry point (for its tests and for applications without Micronaut); the order service migrates the same location
 * into the same history table through micronaut-flyway ({@code DatabaseSchema} in order-core, ADR 0005).
 */
public final class OutboxSchema {

    public static final String HISTORY_TABLE = "outbox_schema_history";
    public static final String LOCATION = "classpath:db/outbox";

    private OutboxSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
