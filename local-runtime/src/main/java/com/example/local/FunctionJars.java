package com.example.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The deployable jars (the three functions' and the migration function's), which the build copies into local-runtime.jar under {@code functions/}. A class loader
 * cannot read a jar inside a jar, so they are written out next to the data. {@code LOCAL_FUNCTIONS_DIR} points at
 * another directory instead.
 */
final class FunctionJars {

    /** The once-per-deploy migration function's own jar (ADR 0005): invoked once at start, as a deploy does. */
    static final String MIGRATION_JAR = "schema-migration-fn.jar";
    static final List<String> JARS = List.of("create-order-fn.jar", "outbox-relay-fn.jar", "cancel-consumer-fn.jar",
            MIGRATION_JAR);

    private FunctionJars() {
    }

    static Path extract(Path target) {
        String override = System.getenv("LOCAL_FUNCTIONS_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        try {
            Files.createDirectories(target);
            for (String jar : JARS) {
                try (InputStream in = FunctionJars.class.getResourceAsStream("/functions/" + jar)) {
                    if (in == null) {
                        throw new IllegalStateException("functions/" + jar + " is not in local-runtime's jar. Build with "
                                + "'./mvnw -pl local-runtime -am package' so the function jars are built first.");
                    }
                    Files.copy(in, target.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
