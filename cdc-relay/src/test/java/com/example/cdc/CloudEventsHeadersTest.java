package com.example.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/** The two parsers of {@link CloudEventsHeaders}: Debezium's timestamp text, and the headers JSON column. */
class CloudEventsHeadersTest {

    /**
     * Whatever offset and fraction width Debezium prints a {@code timestamptz} with (it varies with the column's
     * precision and the session), {@code ce_time} is the polling relay's ISO_INSTANT text of the same instant.
     */
    @Property(tries = 200, seed = "20261130")
    void ceTimeIsTheInstantAsThePollingRelayPrintsIt(@ForAll @LongRange(min = 0, max = 4_102_444_800_000_000L) long micros,
            @ForAll @IntRange(min = -14 * 60, max = 14 * 60) int offsetMinutes) {
        Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        var zoned = instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        String expected = DateTimeFormatter.ISO_INSTANT.format(instant);
        assertThat(CloudEventsHeaders.isoInstant(zoned.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))).isEqualTo(expected);
        assertThat(CloudEventsHeaders.isoInstant(zoned.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX"))))
                .isEqualTo(expected);
    }

    /** Any names and values (quotes, backslashes, control characters, non-BMP text) come out as written, in order. */
    @Property(tries = 200, seed = "20261130")
    void extraHeadersAreTheColumnsEntriesInOrder(@ForAll @Size(max = 8) Map<String, String> headers) throws Exception {
        var linked = new LinkedHashMap<>(headers);
        var out = new ConnectHeaders();
        CloudEventsHeaders.extraHeaders(new ObjectMapper().writeValueAsString(linked), out);
        var read = new ArrayList<Map.Entry<String, String>>();
        out.forEach(h -> read.add(Map.entry(h.key(), (String) h.value())));
        assertThat(read).containsExactlyElementsOf(linked.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    @Example
    void rejectsWhatTheWriterNeverStores() {
        assertThatThrownBy(() -> CloudEventsHeaders.extraHeaders("[]", new ConnectHeaders())).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> CloudEventsHeaders.extraHeaders("{\"a\":1}", new ConnectHeaders())).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> CloudEventsHeaders.extraHeaders("{\"a\":", new ConnectHeaders())).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> CloudEventsHeaders.isoInstant("2026-11-30 12:00")).isInstanceOf(DataException.class);
    }

    @Example
    void rebuildsTheHeadersInThePollingRelaysOrderAndPassesOtherRecordsThrough() {
        var headers = new ConnectHeaders();
        headers.addString("id", "e1");
        headers.addString("ce_id", "e1");
        headers.addString("ce_type", "order.created");
        headers.addString("ce_source", "/s");
        headers.addString("ce_time", "2026-11-30T12:00:00.120000Z");
        headers.addString("content-type", "application/json");
        headers.addString(CloudEventsHeaders.CARRIER, "{\"traceparent\":\"00-x\"}");
        var record = new SourceRecord(Map.of(), Map.of(), "order.created", null, Schema.STRING_SCHEMA, "k",
                Schema.BYTES_SCHEMA, new byte[] {1}, 0L, headers);
        var out = new CloudEventsHeaders<SourceRecord>().apply(record);
        List<String> seen = new ArrayList<>();
        out.headers().forEach(h -> seen.add(h.key() + "=" + h.value()));
        assertThat(seen).containsExactly("ce_id=e1", "ce_type=order.created", "ce_source=/s", "ce_specversion=1.0",
                "ce_time=2026-11-30T12:00:00.120Z", "content-type=application/json", "traceparent=00-x");

        var heartbeat = new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.outbox", Schema.STRING_SCHEMA, "x");
        assertThat(new CloudEventsHeaders<SourceRecord>().apply(heartbeat)).isSameAs(heartbeat);
    }
}
