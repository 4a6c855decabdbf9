package com.example.outbox.jdbc;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The outbox's own tables, migrated with Flyway from {@code classpath:db/outbox} into their own history
 * table, so the outbox can evolve its schema independently of the application that embeds it.
 *
 * <p>Run once per deploy or start, never on every Lambda cold start.
 */
public final class OutboxSchema {

    public static final String HISTORY_TABLE = "outbox_schema_history";

    private OutboxSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/outbox")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
