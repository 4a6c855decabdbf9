package com.example.order.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.jdbc.OutboxSchema;
import com.example.servers.SharedServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.util.Arrays;
import org.flywaydb.core.api.Location;
import org.junit.jupiter.api.Test;

/** The micronaut-flyway configuration of the schemas, and that it exists only in the migration environment. */
class DatabaseSchemaConfigurationTest {

    @Test
    void theOutboxConfigurationIsTheOutboxLibrarysOwnLocationAndHistoryTable() {
        try (var context = ApplicationContext.builder(DatabaseSchema.ENVIRONMENT).deduceEnvironment(false).start()) {
            var outbox = context.getBean(FlywayConfigurationProperties.class, Qualifiers.byName("outbox"))
                    .getFluentConfiguration();
            assertThat(outbox.getTable()).isEqualTo(OutboxSchema.HISTORY_TABLE);
            assertThat(Arrays.stream(outbox.getLocations()).map(Location::getDescriptor))
                    .containsExactly(OutboxSchema.LOCATION);
            var order = context.getBean(FlywayConfigurationProperties.class, Qualifiers.byName("order"))
                    .getFluentConfiguration();
            assertThat(order.getTable()).isEqualTo("order_schema_history");
            assertThat(Arrays.stream(order.getLocations()).map(Location::getDescriptor))
                    .containsExactly("classpath:db/order");
            assertThat(order.isBaselineOnMigrate()).isTrue();
            assertThat(order.getBaselineVersion().getVersion()).isEqualTo("0");
        }
    }

    @Test
    void withoutTheMigrationEnvironmentThereIsNoFlywayConfigurationAndMigrateAllRefuses() {
        try (var context = ApplicationContext.builder().deduceEnvironment(false).start()) {
            assertThat(context.getBeansOfType(FlywayConfigurationProperties.class)).isEmpty();
            assertThatThrownBy(() -> DatabaseSchema.migrateAll(context, SharedServers.postgres().dataSource()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'schema-migration' environment");
        }
    }
}
