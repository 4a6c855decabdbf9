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

    private OutboxConnectorConfig() {
    }

    /**
     * The shared settings, in file order.
     *
     * @throws IllegalStateException if the resource is missing, not a flat object of strings
     */
    public static Map<String, String> shared() {
        try (InputStream in = OutboxConnectorConfig.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            Map<String, String> config = new ObjectMapper().readValue(in, new TypeReference<LinkedHashMap<String, String>>() {
            });
            return Collections.unmodifiableMap(config);
        } catch (IOException e) {
            throw new IllegalStateException(RESOURCE + " is not a flat JSON object of strings", e);
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
