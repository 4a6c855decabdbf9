package com.example.infrachecks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the CDC relay's MSK Connect custom plugin ZIP must carry (ADR 0081): Debezium's PostgreSQL connector, the Outbox
 * Event Router and the MSK IAM login, each in a jar of the ZIP and compiled for Java 17 or older (MSK Connect's Kafka
 * Connect 3.7.x runs Java 17); and no Kafka API classes, which the worker provides (a bundled copy of another Kafka
 * version only shadows the worker's).
 */
public final class CdcPluginZip {

    public static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";
    public static final String OUTBOX_ROUTER_CLASS = "io.debezium.transforms.outbox.EventRouter";
    /** The connector's own transform (ADR 0080), from this project's plugin jar. */
    public static final String CLOUDEVENTS_HEADERS_CLASS = "com.example.cdc.CloudEventsHeaders";
    public static final List<String> IAM_AUTH_CLASSES = List.of(
            "software.amazon.msk.auth.iam.IAMLoginModule", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    /** Class file major version of Java 17, the runtime of MSK Connect's Kafka Connect 3.7.x. */
    static final int MAX_CLASS_VERSION = 61;

    private CdcPluginZip() {
    }

    public static List<String> findings(Path zip) {
        List<String> required = new ArrayList<>(List.of(CONNECTOR_CLASS, OUTBOX_ROUTER_CLASS, CLOUDEVENTS_HEADERS_CLASS));
        required.addAll(IAM_AUTH_CLASSES);
        Map<String, Integer> versions = new HashMap<>();
        TreeSet<String> kafkaApi = new TreeSet<>();
        List<String> findings = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                try (InputStream in = file.getInputStream(entry); JarInputStream jar = new JarInputStream(in)) {
                    for (JarEntry inner; (inner = jar.getNextJarEntry()) != null; ) {
                        String name = inner.getName();
                        if (!name.endsWith(".class")) {
                            continue;
                        }
                        if (name.startsWith("org/apache/kafka/")) {
                            kafkaApi.add(entry.getName());
                        }
                        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                        if (required.contains(className)) {
                            versions.put(className, majorVersion(jar.readAllBytes()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            return List.of("cannot read " + zip + ": " + e.getMessage());
        }
        for (String className : required) {
            Integer version = versions.get(className);
            if (version == null) {
                findings.add(zip.getFileName() + " has no jar with " + className);
            } else if (version > MAX_CLASS_VERSION) {
                findings.add(zip.getFileName() + ": " + className + " is class file version " + version
                        + ", newer than Java 17 (" + MAX_CLASS_VERSION + "), which MSK Connect's Kafka Connect 3.7.x runs");
            }
        }
        kafkaApi.forEach(jar -> findings.add(zip.getFileName() + ": " + jar
                + " holds org.apache.kafka classes; the Kafka Connect worker provides them (exclude them from the plugin)"));
        return findings;
    }

    private static int majorVersion(byte[] classFile) throws IOException {
        try (var in = new java.io.DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort(); // minor
            return in.readUnsignedShort();
        }
    }
}
