package com.example.infrachecks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Lambda's deployment package limits for a direct upload: 50 MB zipped, 250 MB unzipped. */
public final class ArtifactSize {

    public static final long MAX_ZIPPED_BYTES = 50L * 1024 * 1024;
    public static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;

    private ArtifactSize() {
    }

    public static List<String> check(Path artifact) {
        return check(artifact, MAX_ZIPPED_BYTES, MAX_UNZIPPED_BYTES);
    }

    static List<String> check(Path artifact, long maxZipped, long maxUnzipped) {
        List<String> problems = new ArrayList<>();
        try {
            long zipped = Files.size(artifact);
            if (zipped >= maxZipped) {
                problems.add(artifact.getFileName() + " is " + zipped + " bytes zipped, limit " + maxZipped);
            }
            long unzipped = 0;
            try (ZipFile zip = new ZipFile(artifact.toFile())) {
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                    long size = entries.nextElement().getSize();
                    if (size < 0) {
                        problems.add(artifact.getFileName() + " has an entry of unknown size");
                        return problems;
                    }
                    unzipped += size;
                }
            }
            if (unzipped >= maxUnzipped) {
                problems.add(artifact.getFileName() + " is " + unzipped + " bytes unzipped, limit " + maxUnzipped);
            }
        } catch (IOException e) {
            problems.add("cannot read " + artifact + ": " + e.getMessage());
        }
        return problems;
    }
}
