package com.example.order.jdbc;

import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The order tables, migrated with Flyway from {@code classpath:db/order} into their own history table.
 * Run once per deploy (SchemaMigrationFunction) or start (local runtime, tests), never on a Lambda cold start.
 */
public final class OrderSchema {

    public static final String HISTORY_TABLE = "order_schema_history";
    public static final String LOCATION = "classpath:db/order";

    private OrderSchema() {
    }

    /** @return the versions now applied, oldest first */
    public static List<String> migrate(DataSource dataSource) {
        Flyway flyway = flyway(dataSource);
        flyway.migrate();
        return DatabaseSchema.appliedVersions(flyway);
    }

    static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
