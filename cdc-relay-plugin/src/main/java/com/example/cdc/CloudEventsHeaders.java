package com.example.cdc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * The last step of the CDC relay's transform chain (after Debezium's {@code EventRouter}): makes the headers exactly those the polling relay's {@code KafkaMessagePublisher} sends, in
 * its order: {@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_specversion}, {@code ce_time},
 * {@code content-type}, then each entry of the row's {@code headers} JSON object (traceparent, correlation id, ...).
 *
 * <p>Hand-written because no stock transform does these four things (ADR 0080): the router cannot expand one JSON
 * column into several headers; it always adds its own {@code id} header (the event id, already sent as
 * {@code ce_id}); Kafka Connect's {@code InsertHeader} parses its literal, so "1.0" would go out as "1"; and
 * Debezium renders {@code timestamptz} as ISO-8601 with an offset and a variable number of
 * fraction digits, where the polling relay sends {@link DateTimeFormatter#ISO_INSTANT} (UTC, "Z", groups of three
 * fraction digits). Records without the router's {@value #CARRIER} header (heartbeats, schema changes) pass through
 * unchanged. Stateless and thread-safe: the embedded engine applies transforms on several threads.
 */
public final class CloudEventsHeaders<R extends ConnectRecord<R>> implements Transformation<R> {

    /** The header the router fills from the {@code headers} column ({@code table.fields.additional.placement}). */
    public static final String CARRIER = "outbox-headers";
    /** The header Debezium's outbox router always adds with the event id. */
    static final String ROUTER_ID = "id";
    /** CloudEvents spec version: a constant, not a column. */
    static final String SPEC_VERSION = "1.0";
    private static final String[] CLOUD_EVENTS = {"ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time",
            "content-type"};
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Override
    public R apply(R record) {
        if (record == null || record.headers().lastWithName(CARRIER) == null) {
            return record;
        }
        Headers in = record.headers();
        var out = new ConnectHeaders();
        for (String name : CLOUD_EVENTS) {
            if (name.equals("ce_specversion")) {
                out.addString(name, SPEC_VERSION);
                continue;
            }
            Header h = in.lastWithName(name);
            if (h == null || h.value() == null) {
                throw new DataException("outbox record without header " + name + " (check the connector's "
                        + "table.fields.additional.placement)");
            }
            String value = h.value().toString();
            out.addString(name, name.equals("ce_time") ? isoInstant(value) : value);
        }
        Object extra = in.lastWithName(CARRIER).value();
        if (extra != null) {
            extraHeaders(extra.toString(), out);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), out);
    }

    /** Debezium's {@code io.debezium.time.ZonedTimestamp} text, as {@link DateTimeFormatter#ISO_INSTANT} prints it. */
    static String isoInstant(String zonedTimestamp) {
        try {
            return DateTimeFormatter.ISO_INSTANT.format(OffsetDateTime.parse(zonedTimestamp).toInstant());
        } catch (DateTimeParseException e) {
            throw new DataException("ce_time is not an ISO-8601 timestamp with offset: " + zonedTimestamp, e);
        }
    }

    /** Adds each {@code "name":"value"} of the flat JSON object the outbox writer stores, in its order. */
    static void extraHeaders(String json, Headers out) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DataException("outbox headers must be a JSON object: " + json);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw new DataException("outbox header " + name + " must be a string: " + json);
                }
                out.addString(name, p.getText());
            }
        } catch (IOException e) {
            throw new DataException("outbox headers are not valid JSON: " + json, e);
        }
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
