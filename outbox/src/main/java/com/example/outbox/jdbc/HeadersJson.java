package com.example.outbox.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the flat {@code {"name":"value"}} JSON kept in {@code outbox_message.headers}.
 *
 * <p>Jackson's streaming API (jackson-core, already in every function jar): the claimer reads one of these per row on
 * the relay's hot path, so no data binding and no reflection.
 */
final class HeadersJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private HeadersJson() {
    }

    static String write(Map<String, String> headers) {
        var out = new StringWriter();
        try (var json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (var entry : headers.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Parses what PostgreSQL returns for a jsonb object of strings.
     *
     * @throws IllegalArgumentException if the text is not such an object (the column is only written by {@link #write})
     */
    static Map<String, String> read(String text) {
        var result = new LinkedHashMap<String, String>();
        if (text == null) {
            return result;
        }
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("outbox headers must be a JSON object: " + text);
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                if (json.nextToken() != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("outbox header " + name + " must be a string: " + text);
                }
                result.put(name, json.getText());
            }
            return result;
        } catch (IOException e) {
            throw new IllegalArgumentException("outbox headers are not valid JSON: " + text, e);
        }
    }
}
