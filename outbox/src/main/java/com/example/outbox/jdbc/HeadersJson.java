package com.example.outbox.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the flat {@code {"name":"value"}} JSON kept in {@code outbox_message.headers}.
 * Hand-rolled because the shape is fixed and tiny; pulling a JSON library into the outbox is not worth it.
 */
final class HeadersJson {

    private HeadersJson() {
    }

    static String write(Map<String, String> headers) {
        var json = new StringBuilder("{");
        for (var entry : headers.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(json, entry.getKey()).append(':');
            quote(json, entry.getValue());
        }
        return json.append('}').toString();
    }

    /** Parses what PostgreSQL returns for a jsonb object of strings. */
    static Map<String, String> read(String json) {
        var result = new LinkedHashMap<String, String>();
        if (json == null) {
            return result;
        }
        int[] pos = {skipSpace(json, 0)};
        expect(json, pos, '{');
        pos[0] = skipSpace(json, pos[0]);
        if (json.charAt(pos[0]) == '}') {
            return result;
        }
        while (true) {
            String key = string(json, pos);
            pos[0] = skipSpace(json, pos[0]);
            expect(json, pos, ':');
            String value = string(json, pos);
            result.put(key, value);
            pos[0] = skipSpace(json, pos[0]);
            char c = json.charAt(pos[0]++);
            if (c == '}') {
                return result;
            }
            if (c != ',') {
                throw new IllegalArgumentException("Unexpected '" + c + "' in headers JSON: " + json);
            }
        }
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static String string(String json, int[] pos) {
        pos[0] = skipSpace(json, pos[0]);
        expect(json, pos, '"');
        var out = new StringBuilder();
        while (true) {
            char c = json.charAt(pos[0]++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = json.charAt(pos[0]++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(pos[0], pos[0] + 4), 16));
                    pos[0] += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private static void expect(String json, int[] pos, char expected) {
        if (json.charAt(pos[0]) != expected) {
            throw new IllegalArgumentException("Expected '" + expected + "' at " + pos[0] + " in headers JSON: " + json);
        }
        pos[0]++;
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }
}
