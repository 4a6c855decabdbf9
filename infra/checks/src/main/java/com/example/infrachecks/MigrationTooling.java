package com.example.infrachecks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Only the jar that holds the once-per-deploy migration function carries Flyway (ADR 0005): in any other function's
 * jar it would be dead weight, and a way to migrate on a cold start.
 */
public final class MigrationTooling {

    static final String MIGRATION_HANDLER = "com/example/createorder/SchemaMigrationFunction.class";
    static final List<String> FLYWAY = List.of("org/flywaydb/", "io/micronaut/flyway/");

    private MigrationTooling() {
    }

    public static List<String> check(Path artifact) {
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            Set<String> classes = zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
                    .collect(Collectors.toSet());
            if (classes.contains(MIGRATION_HANDLER)) {
                return List.of();
            }
            Optional<String> flyway = classes.stream().filter(n -> FLYWAY.stream().anyMatch(n::startsWith)).sorted()
                    .findFirst();
            return flyway.map(name -> List.of(artifact.getFileName() + " carries Flyway (" + name + ") but not "
                    + MIGRATION_HANDLER + ": only the migration function's jar may migrate (ADR 0005)"))
                    .orElse(List.of());
        } catch (IOException e) {
            return List.of("cannot read " + artifact + ": " + e.getMessage());
        }
    }
}
