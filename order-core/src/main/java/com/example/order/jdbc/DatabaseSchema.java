package com.example.order.jdbc;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.FlywayMigrator;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Every schema of the service, migrated in dependency order (the outbox library's, then the orders') through
 * micronaut-flyway: the {@code flyway.datasources.outbox} and {@code .order} configurations of
 * {@code application-schema-migration.yml}, run by micronaut-flyway's {@link FlywayMigrator}.
 *
 * <p>Runs once per deploy ({@code SchemaMigrationFunction}, ADR 0005/0044), never on a function's cold start: the
 * configuration exists only in the {@value #ENVIRONMENT} environment, which no other function activates.
 */
public final class DatabaseSchema {

    /** The Micronaut environment that holds the Flyway configurations. */
    public static final String ENVIRONMENT = "schema-migration";
    /** Names of the {@code flyway.datasources.*} configurations, in the order they run. */
    public static final List<String> SCHEMAS = List.of("outbox", "order");
    /** Where the configurations are: Micronaut reads it in the {@value #ENVIRONMENT} environment. */
    public static final String CONFIGURATION_FILE = "application-" + ENVIRONMENT + ".yml";

    private DatabaseSchema() {
    }

    /**
     * Migrates every schema with the context's micronaut-flyway configuration.
     *
     * @param context a context started with the {@value #ENVIRONMENT} environment
     * @return history table name -> versions applied (after migrating), oldest first, in migration order
     * @throws IllegalStateException if the context lacks the {@value #ENVIRONMENT} environment
     * @throws org.flywaydb.core.api.FlywayException if a migration fails (later schemas are not migrated)
     */
    public static Map<String, List<String>> migrateAll(ApplicationContext context, DataSource dataSource) {
        if (!context.getEnvironment().getActiveNames().contains(ENVIRONMENT)) {
            throw new IllegalStateException("The application context must be started with the '" + ENVIRONMENT
                    + "' environment, which holds the flyway.datasources.* configuration; active: "
                    + context.getEnvironment().getActiveNames());
        }
        FlywayMigrator migrator = context.getBean(FlywayMigrator.class);
        var applied = new LinkedHashMap<String, List<String>>();
        for (String schema : SCHEMAS) {
            migrator.run(context.getBean(FlywayConfigurationProperties.class, Qualifiers.byName(schema)), dataSource);
            // The Flyway instance micronaut-flyway built and registered for this configuration.
            Flyway flyway = context.getBean(Flyway.class, Qualifiers.byName(schema));
            applied.put(flyway.getConfiguration().getTable(), appliedVersions(flyway));
        }
        return applied;
    }

    /**
     * Migrates every schema in a context of its own, for callers without the migration function's context (tests,
     * benchmarks): the same configuration file and runner as {@link #migrateAll(ApplicationContext, DataSource)}.
     * That context reads only {@value #CONFIGURATION_FILE}, not the caller's {@code application.yml}, environment or
     * system properties, so it builds no datasource or other bean of the calling application.
     */
    public static Map<String, List<String>> migrateAll(DataSource dataSource) {
        try (ApplicationContext context = ApplicationContext.builder(ENVIRONMENT)
                .deduceEnvironment(false)
                .enableDefaultPropertySources(false)
                .propertySources(configuration())
                .start()) {
            return migrateAll(context, dataSource);
        }
    }

    private static PropertySource configuration() {
        try (InputStream in = DatabaseSchema.class.getResourceAsStream("/" + CONFIGURATION_FILE)) {
            if (in == null) {
                throw new IllegalStateException(CONFIGURATION_FILE + " is not on the class path");
            }
            return PropertySource.of(CONFIGURATION_FILE, new YamlPropertySourceLoader().read(CONFIGURATION_FILE, in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> appliedVersions(Flyway flyway) {
        return Arrays.stream(flyway.info().applied())
                .map(MigrationInfo::getVersion)
                .filter(Objects::nonNull)
                .map(Object::toString)
                .filter(v -> !"0".equals(v)) // the baseline marker (baseline-version 0), not a migration
                .toList();
    }
}
