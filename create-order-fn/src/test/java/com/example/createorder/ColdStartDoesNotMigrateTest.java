package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.order.testing.SharedOrderDatabase;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * ADR 0005: the API function's cold start never migrates. Its jar carries neither Flyway nor micronaut-flyway (the
 * migration function is schema-migration-fn), so its context has no migration runner at all, and an empty database
 * stays empty.
 *
 * <p>Runs in its own surefire execution on create-order-fn's runtime class path as the jar has it: the migration
 * tooling the other tests use to prepare the shared database (test scope) is left off (see the pom). Anywhere else it
 * is skipped.
 */
@EnabledIfSystemProperty(named = "create-order.runtime-class-path", matches = "true")
class ColdStartDoesNotMigrateTest {

    @Test
    void theFunctionsClassPathHasNoMigrationTooling() {
        assertThatThrownBy(() -> Class.forName("org.flywaydb.core.Flyway")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.micronaut.flyway.FlywayMigrator"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theApiFunctionAgainstAnEmptyDatabaseHasNoMigrationBeansCreatesNoTableAndAnswers503() {
        String url = SharedOrderDatabase.createEmptyDatabase();
        try (var handler = new CreateOrderFunction(ApplicationContext.run(SharedOrderDatabase.micronautProperties(url)))) {
            ApplicationContext context = handler.getApplicationContext();
            // Neither micronaut-flyway's runners (DataSourceMigrationRunner, FlywayMigrator, ...) nor any Flyway type.
            assertThat(context.getAllBeanDefinitions())
                    .extracting(definition -> definition.getBeanType().getName())
                    .isNotEmpty()
                    .noneMatch(type -> type.startsWith("io.micronaut.flyway.") || type.startsWith("org.flywaydb."));
            var events = new ApiGatewayEvents(context.getBean(JsonMapper.class));
            // A real request: the datasource is created and queried; the tables it needs do not exist.
            var response = handler.handleRequest(events.getOrder(UUID.randomUUID().toString()), new TestLambdaContext());
            assertThat(response.getStatusCode()).isEqualTo(503);
        }
        assertThat(SharedOrderDatabase.tablesOf(url)).isEmpty();
    }
}
