package com.example.cdc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Debezium connector and transform settings common to every environment: {@code outbox-connector.json} on the
 * class path (this module's {@code src/main/resources}), a flat JSON object of Kafka Connect / Debezium property
 * names to string values. The MSK Connect deployment reads the same file (Terraform's {@code jsondecode(file(...))}),
 * so the local engine and AWS run one configuration (ADR 0080). Environment-specific settings (database address and
 * credentials, offset storage, bootstrap servers) are not in it.
 */
public final class OutboxConnectorConfig {

    /** Class-path resource name of the shared configuration. */
    public static final String RESOURCE = "outbox-connector.json";
    /**
     * Class-path resource name of the shared worker settings: what the MSK Connect worker configuration sets and the
     * embedded engine uses too (producer delivery settings, offset commit interval; ADR 0082).
     */
    public static final String WORKER_RESOURCE = "outbox-worker.json";

    private OutboxConnectorConfig() {
    }

    /**
     * The shared settings, in file order.
     *
     * @throws IllegalStateException if the resource is missing, not a flat object of strings
     */
    public static Map<String, String> shared() {
        return read(RESOURCE);
    }

    /** The shared worker settings ({@value #WORKER_RESOURCE}), in file order. */
    public static Map<String, String> worker() {
        return read(WORKER_RESOURCE);
    }

    /** The worker's {@code producer.*} settings without the prefix, as a Kafka Connect worker hands them on. */
    public static Map<String, String> workerProducer() {
        var producer = new LinkedHashMap<String, String>();
        worker().forEach((k, v) -> {
            if (k.startsWith("producer.")) {
                producer.put(k.substring("producer.".length()), v);
            }
        });
        return Collections.unmodifiableMap(producer);
    }

    /** The worker's {@code offset.flush.interval.ms}: how often acknowledged positions are committed. */
    public static java.time.Duration offsetFlushInterval() {
        String ms = worker().get("offset.flush.interval.ms");
        if (ms == null) {
            throw new IllegalArgumentException("offset.flush.interval.ms is not set in " + WORKER_RESOURCE);
        }
        return java.time.Duration.ofMillis(Long.parseLong(ms));
    }

    private static Map<String, String> read(String resource) {
        try (InputStream in = OutboxConnectorConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            Map<String, String> config = new ObjectMapper().readValue(in, new TypeReference<LinkedHashMap<String, String>>() {
            });
            return Collections.unmodifiableMap(config);
        } catch (IOException e) {
            throw new IllegalStateException(resource + " is not a flat JSON object of strings", e);
        }
    }

    /** One shared setting; {@link IllegalArgumentException} if the file does not set it. */
    public static String get(String name) {
        String value = shared().get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is not set in " + RESOURCE);
        }
        return value;
    }
}
