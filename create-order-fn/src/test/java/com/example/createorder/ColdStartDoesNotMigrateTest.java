package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.testing.SharedOrderDatabase;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.json.JsonMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * ADR 0005: the API function's cold start never migrates, although its jar carries micronaut-flyway and the
 * migrations (for SchemaMigrationFunction): its context has no Flyway configuration, so an empty database stays empty.
 */
class ColdStartDoesNotMigrateTest {

    @Test
    void theApiFunctionAgainstAnEmptyDatabaseCreatesNoTableAndAnswers503() {
        String url = SharedOrderDatabase.createEmptyDatabase();
        try (var handler = new CreateOrderFunction(ApplicationContext.run(SharedOrderDatabase.micronautProperties(url)))) {
            assertThat(handler.getApplicationContext().getBeansOfType(FlywayConfigurationProperties.class)).isEmpty();
            var events = new ApiGatewayEvents(handler.getApplicationContext().getBean(JsonMapper.class));
            // A real request: the datasource is created and queried; the tables it needs do not exist.
            var response = handler.handleRequest(events.getOrder(UUID.randomUUID().toString()), new TestLambdaContext());
            assertThat(response.getStatusCode()).isEqualTo(503);
        }
        assertThat(SharedOrderDatabase.tablesOf(url)).isEmpty();
    }
}
