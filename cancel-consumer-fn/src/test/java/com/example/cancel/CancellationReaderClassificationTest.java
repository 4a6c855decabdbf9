package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.cancel.Reading.Cancellation;
import com.example.cancel.Reading.Poison;
import com.example.cancel.esm.EsmRecord;
import com.example.order.app.DeadLetter.ErrorKind;
import com.example.order.app.ReceivedMessage;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Poison or cancellation, field by field, at each edge of {@link CancellationReader}'s contract. Keys are checked by
 * relation (same message, same key; different messages, different keys), not by their text.
 */
class CancellationReaderClassificationTest {

    static ApplicationContext context;
    static CancellationReader reader;
    static final String ORDER = "7b0e3a52-1c6f-4c1e-9f3a-2d6b8c9e0f11";
    static final long TIMESTAMP = 1_700_000_000_000L;

    @BeforeAll
    static void start() {
        context = ApplicationContext.run();
        reader = context.getBean(CancellationReader.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void aMinimalRecordIsACancellationAtTheRecordTimestamp() {
        Cancellation c = cancellation(read(0, "{\"orderId\":\"" + ORDER + "\"}"));
        assertThat(c.orderId()).isEqualTo(UUID.fromString(ORDER));
        assertThat(c.reason()).isNull();
        assertThat(c.eventId()).isNull();
        assertThat(c.cancelledAt()).isEqualTo(Instant.ofEpochMilli(TIMESTAMP));
        assertThat(c.trace().traceparent()).isNull();
    }

    @Test
    void fieldsAndHeadersAreReadTrimmed() {
        Cancellation c = cancellation(read(0, "{\"orderId\":\" " + ORDER + " \",\"reason\":\"changed mind\","
                + "\"occurredAt\":\" 2026-01-02T03:04:05Z \",\"schemaVersion\":1}",
                "ce_specversion", " 1.0 ", "ce_type", " order.cancelled ", "content-type", "Application/JSON",
                "traceparent", "00-t-01", "x-correlation-id", "corr"));
        assertThat(c.orderId()).isEqualTo(UUID.fromString(ORDER));
        assertThat(c.reason()).isEqualTo("changed mind");
        assertThat(c.cancelledAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(c.trace().traceparent()).isEqualTo("00-t-01");
        assertThat(c.trace().correlationId()).isEqualTo("corr");
    }

    @Test
    void occurredAtWinsOverCeTimeWhichWinsOverTheRecordTimestamp() {
        String ceTime = "2025-05-05T05:05:05Z";
        assertThat(cancellation(read(0, "{\"orderId\":\"" + ORDER + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}",
                "ce_time", ceTime)).cancelledAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(cancellation(read(0, "{\"orderId\":\"" + ORDER + "\",\"occurredAt\":null}", "ce_time", ceTime))
                .cancelledAt()).isEqualTo(Instant.parse(ceTime));
        Instant before = Instant.now();
        var noTime = reader.read(record(0, 0, "{\"orderId\":\"" + ORDER + "\"}"));
        assertThat(cancellation(noTime).cancelledAt()).isBetween(before, Instant.now());
    }

    /** The reader reads any instant as sent; whether it can be true is ApplyCancellation's rule (IMPLAUSIBLE_TIME). */
    @Test
    void anyInstantIsReadAsSentAndOnlyWhatIsNoInstantIsInvalid() {
        for (String time : List.of("0001-01-01T00:00:00Z", "0000-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.9999991Z",
                "+300000-01-01T00:00:00Z", "2026-11-30T12:00:00+01:00")) {
            assertThat(cancellation(at(time)).cancelledAt()).as(time)
                    .isEqualTo(java.time.OffsetDateTime.parse(time).toInstant());
        }
        assertPoison(at("yesterday"), ErrorKind.INVALID_FIELD);
        assertPoison(read(0, "{\"orderId\":\"" + ORDER + "\",\"occurredAt\":5}"), ErrorKind.INVALID_FIELD);
        assertPoison(read(0, "{\"orderId\":\"" + ORDER + "\"}", "ce_time", "soon"), ErrorKind.INVALID_FIELD);
    }

    @Test
    void eachUnsupportedEnvelopeIsItsOwnKindOfPoison() {
        String ok = "{\"orderId\":\"" + ORDER + "\"}";
        assertPoison(read(0, ok, "ce_specversion", "2.0"), ErrorKind.UNSUPPORTED_SCHEMA);
        assertPoison(read(0, ok, "ce_type", "order.created"), ErrorKind.UNSUPPORTED_EVENT_TYPE);
        assertPoison(read(0, ok, "content-type", "text/plain"), ErrorKind.UNSUPPORTED_CONTENT_TYPE);
        var undecodable = new EsmRecord("order.cancelled-0", "order.cancelled", 0, 1, TIMESTAMP, "CREATE_TIME", null,
                bytes(ok), List.of(), "value is not valid base64");
        assertPoison(reader.read(undecodable), ErrorKind.MALFORMED_RECORD);
    }

    @Test
    void aValueThatIsNotAJsonObjectIsMalformed() {
        assertPoison(reader.read(new EsmRecord("p", "order.cancelled", 0, 1, TIMESTAMP, "CREATE_TIME", null, null,
                List.of(), null)), ErrorKind.MALFORMED_JSON);
        for (String value : List.of("", "not json", "[1]", "null", "\"text\"")) {
            assertPoison(read(0, value), ErrorKind.MALFORMED_JSON);
        }
    }

    @Test
    void orderIdMustBeAUuidString() {
        assertPoison(read(0, "{}"), ErrorKind.MISSING_ORDER_ID);
        assertPoison(read(0, "{\"orderId\":null}"), ErrorKind.MISSING_ORDER_ID);
        assertPoison(read(0, "{\"orderId\":5}"), ErrorKind.INVALID_ORDER_ID);
        assertPoison(read(0, "{\"orderId\":\"not-a-uuid\"}"), ErrorKind.INVALID_ORDER_ID);
    }

    @Test
    void schemaVersionMayOnlyBeOne() {
        for (String version : List.of("1", "1.0", "\"1\"", "\" 1 \"", "null")) {
            assertThat(read(0, "{\"orderId\":\"" + ORDER + "\",\"schemaVersion\":" + version + "}"))
                    .as(version).isInstanceOf(Cancellation.class);
        }
        for (String version : List.of("2", "0.5", "\"2\"", "true", "{}")) {
            assertPoison(read(0, "{\"orderId\":\"" + ORDER + "\",\"schemaVersion\":" + version + "}"),
                    ErrorKind.UNSUPPORTED_SCHEMA);
        }
    }

    @Test
    void textThatPostgresqlCannotStoreIsPoisonInStoredFieldsButIdentitiesKeepItExactly() {
        String ok = "{\"orderId\":\"" + ORDER + "\"}";
        // Identities are never stored as text (ADR 0024): U+0000 in ce_id or eventId is applied under a digest key.
        assertThat(cancellation(read(0, ok, "ce_id", "a\u0000b")).inboxKey()).startsWith("event-sha256:");
        assertThat(cancellation(read(0, "{\"orderId\":\"" + ORDER + "\",\"eventId\":\"a\\u0000b\"}")).inboxKey())
                .startsWith("event-sha256:");
        // The reason is stored as text: U+0000 anywhere in it is poison.
        Poison reason = (Poison) read(0, "{\"orderId\":\"" + ORDER + "\",\"reason\":\"a\\u0000b\"}");
        assertThat(reason.kind()).isEqualTo(ErrorKind.INVALID_FIELD);
        assertThat(reason.orderId()).isEqualTo(ORDER);
        // A leading U+0000 too (index 0): JSON text is not trimmed.
        assertPoison(read(0, "{\"orderId\":\"" + ORDER + "\",\"reason\":\"\\u0000x\"}"), ErrorKind.INVALID_FIELD);
        Cancellation traced = cancellation(read(0, ok, "traceparent", "00-\u0000-01", "x-correlation-id", "c\u0000d"));
        assertThat(traced.trace().traceparent()).isNull();
        assertThat(traced.trace().correlationId()).isNull();
    }

    @Test
    void eventIdAndReasonHaveTypes() {
        assertPoison(read(0, "{\"orderId\":\"" + ORDER + "\",\"eventId\":5}"), ErrorKind.INVALID_FIELD);
        assertPoison(read(0, "{\"orderId\":\"" + ORDER + "\",\"eventId\":\"  \"}"), ErrorKind.INVALID_FIELD);
        Poison reason = (Poison) read(0, "{\"orderId\":\"" + ORDER + "\",\"reason\":5}");
        assertThat(reason.kind()).isEqualTo(ErrorKind.INVALID_FIELD);
        assertThat(reason.orderId()).isEqualTo(ORDER);
        assertThat(cancellation(read(0, "{\"orderId\":\"" + ORDER + "\",\"eventId\":null,\"reason\":null}")).reason()).isNull();
    }

    @Test
    void theEventIdComesFromCeIdElseFromTheBody() {
        String body = "{\"orderId\":\"" + ORDER + "\",\"eventId\":\" body-id \"}";
        // Exactly as sent, never trimmed (ADR 0024).
        assertThat(read(0, body).eventId()).isEqualTo(" body-id ");
        assertThat(read(0, body, "ce_id", " header-id ").eventId()).isEqualTo(" header-id ");
        assertThat(read(0, body, "ce_id", "   ").eventId()).as("a blank ce_id is none").isEqualTo(" body-id ");
    }

    @Test
    void aRedeliveryKeepsItsKeyAndDifferentMessagesNeverShareOne() {
        String body = "{\"orderId\":\"" + ORDER + "\"}";
        String withBodyId = "{\"orderId\":\"" + ORDER + "\",\"eventId\":\"e-1\"}";
        // Same ce_id at two offsets: one message redelivered.
        assertThat(read(1, body, "ce_id", "id-1").inboxKey()).isEqualTo(read(2, body, "ce_id", "id-1").inboxKey());
        assertThat(read(1, withBodyId).inboxKey()).isEqualTo(read(2, withBodyId).inboxKey());
        // Poison keeps the same key too, so a redelivered poison record is dead-lettered once.
        assertThat(read(1, "nope", "ce_id", "id-9").inboxKey()).isEqualTo(read(2, "nope", "ce_id", "id-9").inboxKey());
        var keys = new ArrayList<String>();
        keys.add(read(1, body, "ce_id", "id-1").inboxKey());
        keys.add(read(1, body, "ce_id", "id-2").inboxKey());
        keys.add(read(1, body).inboxKey());
        keys.add(read(2, body).inboxKey());
        keys.add(read(3, "{\"orderId\":\"" + ORDER + "\",\"eventId\":\"id-3\"}").inboxKey());
        keys.add(read(4, "nope").inboxKey());
        keys.add(read(5, body, "ce_id", "a\u0000").inboxKey());
        assertThat(keys).doesNotHaveDuplicates().doesNotContainNull();
    }

    /** ADR 0027: with ce_id, ce_source is part of the identity (CloudEvents: source + id). */
    @Test
    void ceSourceAndCeIdTogetherAreTheIdentity() {
        String body = "{\"orderId\":\"" + ORDER + "\"}";
        assertThat(read(1, body, "ce_source", "/checkout", "ce_id", "id-1").inboxKey())
                .isEqualTo("cloudevent:9:/checkoutid-1")
                .isEqualTo(read(2, body, "ce_id", "id-1", "ce_source", "/checkout", "ce_source", "/checkout").inboxKey())
                .isNotEqualTo(read(1, body, "ce_source", "/replay", "ce_id", "id-1").inboxKey())
                .isNotEqualTo(read(1, body, "ce_id", "id-1").inboxKey());
        assertThat(read(1, body, "ce_source", " ", "ce_id", "id-1").inboxKey()).as("a blank ce_source is none")
                .isEqualTo("event:id-1");
        assertThat(read(1, body, "ce_source", "/checkout").inboxKey()).as("no ce_id: the position")
                .isEqualTo("offset:order.cancelled-0-1");
        Reading twoSources = read(3, body, "ce_id", "id-1", "ce_source", "/a", "ce_source", "/b");
        assertPoison(twoSources, ErrorKind.INVALID_FIELD);
        assertThat(twoSources.inboxKey()).isEqualTo("offset:order.cancelled-0-3");
    }

    private static Reading at(String occurredAt) {
        return read(0, "{\"orderId\":\"" + ORDER + "\",\"occurredAt\":\"" + occurredAt + "\"}");
    }

    private static Cancellation cancellation(Reading reading) {
        assertThat(reading).isInstanceOf(Cancellation.class);
        return (Cancellation) reading;
    }

    private static void assertPoison(Reading reading, ErrorKind kind) {
        assertThat(reading).isInstanceOf(Poison.class);
        assertThat(((Poison) reading).kind()).isEqualTo(kind);
        assertThat(reading.inboxKey()).isNotBlank();
    }

    private static Reading read(long offset, String value, String... headers) {
        return reader.read(record(offset, TIMESTAMP, value, headers));
    }

    private static EsmRecord record(long offset, long timestamp, String value, String... headers) {
        var list = new ArrayList<ReceivedMessage.Header>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(new ReceivedMessage.Header(headers[i], bytes(headers[i + 1])));
        }
        return new EsmRecord("order.cancelled-0", "order.cancelled", 0, offset, timestamp, "CREATE_TIME", null,
                bytes(value), list, null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
