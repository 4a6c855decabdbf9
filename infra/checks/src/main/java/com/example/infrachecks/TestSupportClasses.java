package com.example.infrachecks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A deployable jar carries no stand-in for AWS or for the test servers: the event source mapping emulator
 * ({@code EsmBatch}), the embedded PostgreSQL and Kafka, the local runtime, the outbox test kit. They are for tests and
 * bin/run-local; in a function they would be dead weight at best and a second code path at worst.
 */
public final class TestSupportClasses {

    /** Entry-name prefixes no deployable jar may contain. */
    static final List<String> FORBIDDEN = List.of(
            "com/example/servers/", // embedded-servers: PostgreSQL, Kafka and the ESM emulator EsmBatch
            "com/example/local/", // local-runtime
            "com/example/outbox/testkit/", // outbox-testkit
            "com/example/campaign/", // fault-campaign
            "com/example/bench/", // bench/tools
            "com/example/cancel/esm/EsmBatch"); // where the ESM emulator lived before it moved to embedded-servers

    private TestSupportClasses() {
    }

    public static List<String> check(Path artifact) {
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && FORBIDDEN.stream().anyMatch(name::startsWith))
                    .sorted()
                    .forEach(name -> problems.add(artifact.getFileName() + " contains test-support class " + name
                            + ": emulators and embedded servers must not ship in a deployable jar"));
        } catch (IOException e) {
            problems.add("cannot read " + artifact + ": " + e.getMessage());
        }
        return problems;
    }
}
