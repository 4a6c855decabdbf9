package com.example.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.jdbc.DatabaseSchema;
import com.example.order.testing.SharedOrderDatabase;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.flyway.FlywayConfigurationProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class SchemaMigrationFunctionTest {

    @Test
    void migratesAnEmptyDatabaseOutboxFirstThenOrdersAndReportsAppliedVersionsIdempotently() {
        String url = SharedOrderDatabase.createEmptyDatabase();
        var context = ApplicationContext.builder(DatabaseSchema.ENVIRONMENT)
                .properties(SharedOrderDatabase.micronautProperties(url)).start();
        try (var function = new SchemaMigrationFunction(context)) {
            Map<String, Object> first = function.handleRequest(Map.of(), new TestLambdaContext());
            Map<String, Object> second = function.handleRequest(Map.of(), new TestLambdaContext());
            assertThat(first.keySet()).containsExactly("outbox_schema_history", "order_schema_history");
            // Outbox V1 (outbox and inbox) and V3 (relay watch); the baseline marker 0 is not reported.
            assertThat((List<Object>) first.get("outbox_schema_history")).startsWith("1").contains("3").doesNotContain("0");
            assertThat((List<Object>) first.get("order_schema_history")).startsWith("1").doesNotContain("0");
            assertThat(second).isEqualTo(first);
        }
        assertThat(SharedOrderDatabase.tablesOf(url)).contains("outbox_schema_history", "order_schema_history",
                "outbox_message", "outbox_relay_watch", "inbox_message", "orders", "order_items", "idempotency_keys");
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
