package com.example.createorder;

import com.example.order.domain.Violation;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An RFC 9457 problem detail: {@code type}, {@code title}, {@code status}, {@code detail}, plus {@code errors}, a list
 * of {@code {"field","message"}} naming each offending field. Sent as {@code application/problem+json}.
 */
record Problem(String type, String title, HttpStatus status, String detail, List<Violation> errors) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://order-service.example.com/problems/";
    private static final JsonFactory JSON = new JsonFactory();

    static Problem of(String slug, String title, HttpStatus status, String detail, List<Violation> errors) {
        return new Problem(TYPE_BASE + slug, title, status, detail, List.copyOf(errors));
    }

    static Problem of(String slug, String title, HttpStatus status, String detail) {
        return of(slug, title, status, detail, List.of());
    }

    MutableHttpResponse<byte[]> toResponse() {
        // Written as bytes so that no codec negotiation can turn it into something else.
        return HttpResponse.<byte[]>status(status).contentType(MEDIA_TYPE).body(json());
    }

    byte[] json() {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeStringField("title", title);
            json.writeNumberField("status", status.getCode());
            json.writeStringField("detail", detail);
            json.writeArrayFieldStart("errors");
            for (Violation error : errors) {
                json.writeStartObject();
                json.writeStringField("field", error.field());
                json.writeStringField("message", error.message());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
