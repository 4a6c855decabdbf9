package com.example.createorder;

import com.example.order.jdbc.DatabaseSchema;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Lambda handler run once per deploy (never on a cold start of the API function): migrates the outbox schema,
 * then the order schema. Input is ignored; the result maps each Flyway history table to its applied versions.
 */
public class SchemaMigrationFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    @Inject
    DataSource dataSource;

    public SchemaMigrationFunction() {
    }

    public SchemaMigrationFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        // Flyway opens and closes connections itself: it needs the pool, not Micronaut Data's contextual wrapper.
        return new LinkedHashMap<>(DatabaseSchema.migrateAll(DelegatingDataSource.unwrapDataSource(dataSource)));
    }
}
