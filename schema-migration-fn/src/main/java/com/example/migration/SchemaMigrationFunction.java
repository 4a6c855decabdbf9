package com.example.migration;

import com.example.order.jdbc.DatabaseSchema;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Lambda handler run once per deploy (never on a cold start of another function, ADR 0005/0044): migrates the outbox
 * schema, then the order schema, through micronaut-flyway. Its context alone activates the
 * {@value DatabaseSchema#ENVIRONMENT} environment, which holds the {@code flyway.datasources.*} configuration; its jar
 * is the only one that carries micronaut-flyway and Flyway, so the other functions' contexts do not even build
 * micronaut-flyway's beans. Input is ignored; the result maps each Flyway history table to its applied versions,
 * oldest first.
 */
public class SchemaMigrationFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    @Inject
    DataSource dataSource;

    public SchemaMigrationFunction() {
    }

    /** For tests: {@code applicationContext} must have been started with the {@value DatabaseSchema#ENVIRONMENT} environment. */
    public SchemaMigrationFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return super.newApplicationContextBuilder().environments(DatabaseSchema.ENVIRONMENT);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        // Flyway opens and closes connections itself: it needs the pool, not Micronaut Data's contextual wrapper.
        return new LinkedHashMap<>(DatabaseSchema.migrateAll(applicationContext,
                DelegatingDataSource.unwrapDataSource(dataSource)));
    }
}
