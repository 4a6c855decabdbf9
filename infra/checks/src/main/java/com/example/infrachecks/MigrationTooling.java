package com.example.infrachecks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Only the migration function's own jar (schema-migration-fn) carries Flyway and micronaut-flyway (ADR 0005): in any
 * other function's jar they would be a way to migrate on a cold start, and micronaut-flyway's beans would be built
 * on every one of them. The migration function's jar, in turn, must carry both, or the once-per-deploy migration
 * fails at its first invocation.
 */
public final class MigrationTooling {

    static final String MIGRATION_HANDLER = "com/example/migration/SchemaMigrationFunction.class";
    static final String FLYWAY = "org/flywaydb/";
    static final String MICRONAUT_FLYWAY = "io/micronaut/flyway/";

    private MigrationTooling() {
    }

    public static List<String> check(Path artifact) {
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            Set<String> classes = zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
                    .collect(Collectors.toSet());
            String jar = artifact.getFileName().toString();
            if (classes.contains(MIGRATION_HANDLER)) {
                List<String> missing = new ArrayList<>();
                for (String tooling : List.of(FLYWAY, MICRONAUT_FLYWAY)) {
                    if (classes.stream().noneMatch(n -> n.startsWith(tooling))) {
                        missing.add(jar + " holds " + MIGRATION_HANDLER + " but no " + tooling
                                + " classes: the migration function cannot migrate");
                    }
                }
                return missing;
            }
            Optional<String> flyway = classes.stream()
                    .filter(n -> n.startsWith(FLYWAY) || n.startsWith(MICRONAUT_FLYWAY)).sorted().findFirst();
            return flyway.map(name -> List.of(jar + " carries Flyway (" + name + ") but not "
                    + MIGRATION_HANDLER + ": only the migration function's jar may migrate (ADR 0005)"))
                    .orElse(List.of());
        } catch (IOException e) {
            return List.of("cannot read " + artifact + ": " + e.getMessage());
        }
    }
}
