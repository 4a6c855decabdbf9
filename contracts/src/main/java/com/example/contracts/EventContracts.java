package com.example.contracts;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event contracts on the class path ({@code contracts/<type>/v<N>.schema.json} for the record value and
 * {@code contracts/<type>/v<N>.headers.schema.json} for the Kafka headers, JSON Schema draft 2020-12), and a check
 * of one Kafka record against them with com.networknt:json-schema-validator, format assertions on
 * ({@code uuid}, {@code date-time} are checked, not just annotations).
 *
 * <p>The version is read from the record's {@code ce_dataschema} header, the schema's {@code $id}
 * ({@value #BASE_URI}{@code <type>/v<N>.schema.json}); without that header the record is checked as version 1,
 * which is what a header-less {@code order.cancelled} producer sends.
 *
 * <p>Used by tests only: nothing here is deployed.
 */
public final class EventContracts {

    /** The prefix of every contract's {@code $id} and so of every {@code ce_dataschema} value. */
    public static final String BASE_URI = "https://order-service.example/contracts/";
    public static final String DATASCHEMA_HEADER = "ce_dataschema";

    private static final Pattern DATASCHEMA = Pattern.compile(Pattern.quote(BASE_URI) + "([a-z.]+)/v([1-9][0-9]*)\\.schema\\.json");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** The {@code ce_dataschema} value (and schema {@code $id}) of that event type and version. */
    public static String dataSchema(String eventType, int version) {
        return BASE_URI + eventType + "/v" + version + ".schema.json";
    }

    /**
     * Everything wrong with one record of {@code eventType}: its value against {@code v<N>.schema.json}, its headers
     * against {@code v<N>.headers.schema.json}, N from {@code ce_dataschema} (else 1). Empty when it conforms.
     *
     * @param value   the record value bytes (UTF-8 JSON)
     * @param headers header name to UTF-8 value, see {@link #headerMap(List)}
     * @throws IllegalArgumentException if there is no contract for that type and version
     */
    public List<String> violations(String eventType, byte[] value, Map<String, String> headers) {
        int version = version(eventType, headers.get(DATASCHEMA_HEADER));
        var problems = new ArrayList<String>();
        if (version < 0) {
            problems.add("headers: " + DATASCHEMA_HEADER + " " + headers.get(DATASCHEMA_HEADER)
                    + " is not a contract of " + eventType + " (expected " + dataSchema(eventType, 1) + " or a later version)");
            return problems;
        }
        JsonNode valueNode;
        try {
            valueNode = JSON.readTree(value);
        } catch (JacksonException e) {
            problems.add("value: not JSON: " + e.getOriginalMessage());
            return problems;
        }
        schema(eventType, version, "schema").validate(valueNode).forEach(e -> problems.add("value: " + describe(e)));
        schema(eventType, version, "headers.schema").validate(JSON.valueToTree(headers))
                .forEach(e -> problems.add("headers: " + describe(e)));
        return problems;
    }

    /** Like {@link #violations} but throws an {@link AssertionError} listing them, with the record, if there are any. */
    public void requireValid(String eventType, byte[] value, Map<String, String> headers) {
        List<String> problems = violations(eventType, value, headers);
        if (!problems.isEmpty()) {
            throw new AssertionError(eventType + " record breaks its contract:\n  " + String.join("\n  ", problems)
                    + "\nvalue: " + new String(value, StandardCharsets.UTF_8) + "\nheaders: " + headers);
        }
    }

    /**
     * Kafka headers as the contracts see them: name to UTF-8 text, in order.
     *
     * @throws AssertionError if a name repeats or a value is null or not UTF-8 (no contract allows that)
     */
    public static Map<String, String> headerMap(List<Map.Entry<String, byte[]>> headers) {
        var map = new LinkedHashMap<String, String>();
        for (var header : headers) {
            if (header.getValue() == null) {
                throw new AssertionError("header " + header.getKey() + " has no value");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(header.getValue())).toString();
            } catch (CharacterCodingException e) {
                throw new AssertionError("header " + header.getKey() + " is not UTF-8");
            }
            if (map.put(header.getKey(), text) != null) {
                throw new AssertionError("header " + header.getKey() + " appears more than once");
            }
        }
        return map;
    }

    /** The version a {@code ce_dataschema} value names for that type: 1 if absent, -1 if it is not one of its contracts. */
    static int version(String eventType, String dataSchema) {
        if (dataSchema == null) {
            return 1;
        }
        Matcher m = DATASCHEMA.matcher(dataSchema);
        return m.matches() && m.group(1).equals(eventType) ? Integer.parseInt(m.group(2)) : -1;
    }

    private Schema schema(String eventType, int version, String kind) {
        String path = "contracts/" + eventType + "/v" + version + "." + kind + ".json";
        return schemas.computeIfAbsent(path, p -> {
            try (InputStream in = EventContracts.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) {
                    throw new IllegalArgumentException("No contract " + p + " on the class path");
                }
                JsonNode node = JSON.readTree(in);
                return registry.getSchema(SchemaLocation.of(node.get("$id").asString()), node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String describe(Error error) {
        return error.getInstanceLocation() + " " + error.getMessage();
    }
}
