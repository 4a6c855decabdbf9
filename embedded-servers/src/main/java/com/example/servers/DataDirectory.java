package com.example.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Where a throw-away server keeps its data: a temporary directory, deleted with everything in it when done. */
public final class DataDirectory {

    private DataDirectory() {
    }

    static Path createTemporary(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes {@code dir} and everything below it; a directory that does not exist is fine. Retries for a few
     * seconds, because at JVM exit the server's own shutdown hook may still be writing its last files.
     */
    public static void delete(Path dir) {
        IOException last = null;
        for (int attempt = 0; attempt < 50 && Files.exists(dir); attempt++) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                last = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
                sleep();
            }
        }
        if (Files.exists(dir)) {
            throw new UncheckedIOException("Could not delete " + dir, last);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
