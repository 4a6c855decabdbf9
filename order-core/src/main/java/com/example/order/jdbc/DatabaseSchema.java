package com.example.order.jdbc;

import com.example.outbox.jdbc.OutboxSchema;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/** Every schema of the service, in dependency order: the outbox library's, then the orders'. */
public final class DatabaseSchema {

    private DatabaseSchema() {
    }

    /**
     * Migrates the outbox tables, then the order tables.
     *
     * @return history table name -> versions applied (after migrating), oldest first
     */
    public static Map<String, List<String>> migrateAll(DataSource dataSource) {
        OutboxSchema.migrate(dataSource);
        var applied = new LinkedHashMap<String, List<String>>();
        applied.put(OutboxSchema.HISTORY_TABLE, appliedVersions(Flyway.configure()
                .dataSource(dataSource).locations("classpath:db/outbox").table(OutboxSchema.HISTORY_TABLE).load()));
        applied.put(OrderSchema.HISTORY_TABLE, OrderSchema.migrate(dataSource));
        return applied;
    }

    static List<String> appliedVersions(Flyway flyway) {
        return Arrays.stream(flyway.info().applied())
                .map(MigrationInfo::getVersion)
                .filter(v -> v != null)
                .map(Object::toString)
                .filter(v -> !"0".equals(v))
                .toList();
    }
}
