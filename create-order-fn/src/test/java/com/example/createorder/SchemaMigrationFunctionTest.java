package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class SchemaMigrationFunctionTest {

    @Test
    void migratesOutboxThenOrdersAndReportsAppliedVersionsIdempotently() {
        try (var function = new SchemaMigrationFunction(ApplicationContext.run(TestDatabase.properties()))) {
            Map<String, Object> first = function.handleRequest(Map.of(), new TestLambdaContext());
            Map<String, Object> second = function.handleRequest(Map.of(), new TestLambdaContext());
            assertThat(first.keySet()).containsExactly("outbox_schema_history", "order_schema_history");
            assertThat((List<Object>) first.get("order_schema_history")).contains("1");
            assertThat((List<Object>) first.get("outbox_schema_history")).contains("1");
            assertThat(second).isEqualTo(first);
            assertThat(TestDatabase.count("select count(*) from order_schema_history where success")).isPositive();
        }
    }
}
