package com.example.order;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** domain and app stay plain Java: the business rules must be readable and testable without any framework. */
class ArchitectureTest {

    static final String[] FORBIDDEN = {
        "io.micronaut..", "java.sql..", "javax.sql..", "org.apache.kafka..", "com.fasterxml..", "jakarta..",
        "org.flywaydb..", "org.postgresql..", "com.example.outbox..", "com.example.order.jdbc..", "com.example.order.data..",
        "com.example.order.events.."
    };

    static ArchRule frameworkFree(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN)
                .because("domain and app are framework-free; adapters live in data, jdbc, events and in the functions");
    }

    @Test
    void domainAndAppImportNoFrameworks() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.example.order");
        assertThat(production.containPackage("com.example.order.domain")).isTrue();
        assertThat(production.containPackage("com.example.order.app")).isTrue();
        frameworkFree("com.example.order.domain..", "com.example.order.app..").check(production);
    }

    /**
     * Micronaut is the business of two adapters only: the order store on Micronaut Data (ADR 0002) and the schema
     * migration through micronaut-flyway (ADR 0005). The events know nothing of it.
     */
    @Test
    void onlyTheOrderStoreAndTheMigrationUseMicronaut() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.example.order");
        assertThat(production.containPackage("com.example.order.data")).isTrue();
        noClasses().that().resideOutsideOfPackage("com.example.order.data..")
                .and().doNotHaveFullyQualifiedName("com.example.order.jdbc.DatabaseSchema")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "jakarta..")
                .because("the order store and the schema migration are the only adapters built on Micronaut")
                .check(production);
    }

    /** The outbox library stays framework-free: it sees a JDBC Connection, never Micronaut's transaction types. */
    @Test
    void theOutboxLibraryImportsNoFrameworkAndNoOrders() {
        JavaClasses outbox = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.example.outbox");
        assertThat(outbox.containPackage("com.example.outbox.jdbc")).isTrue();
        noClasses().that().resideInAPackage("com.example.outbox..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "jakarta..", "com.example.order..")
                .because("the outbox is a plain-JDBC library that knows nothing about orders")
                .check(outbox);
    }

    @Test
    void theRuleReallyCatchesAViolation() {
        JavaClasses fixture = new ClassFileImporter().importPackages("com.example.order.archfixture");
        var result = frameworkFree("com.example.order.archfixture..").evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("java.sql.Connection");
    }
}
