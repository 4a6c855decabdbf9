package com.example.order.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.app.DeadLetter;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.TraceContext;
import com.example.order.events.DeadLetterJson;
import com.example.order.testing.SharedOrderDatabase;
import com.example.outbox.jdbc.JdbcOutboxWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter record, byte for byte (its JSON) and row for row (its outbox row, in real PostgreSQL): what a
 * parked poison message carries to the DLQ. Written to kill the mutants PIT found surviving (docs/benchmarks.md).
 */
class DeadLetterRecordTest {

    static final Instant AT = Instant.parse("2026-11-23T12:00:00.123456Z");

    @Test
    void theJsonCarriesEveryFieldAndTheExactBytesInBase64() {
        var message = new ReceivedMessage("order.cancelled", 3, 15, 1700000000000L, "CREATE_TIME",
                "k".getBytes(StandardCharsets.UTF_8), new byte[] {'{', (byte) 0xff},
                List.of(new ReceivedMessage.Header("ce_id", "id-1".getBytes(StandardCharsets.UTF_8)),
                        new ReceivedMessage.Header("empty", null)));
        var letter = new DeadLetter("cancel-consumer-fn", "event:1", message, DeadLetter.ErrorKind.MALFORMED_JSON, "bad \"json\"", AT, null);
        String json = new String(DeadLetterJson.encode(letter), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"dlqVersion\":1,\"consumer\":\"cancel-consumer-fn\",\"messageKey\":\"event:1\","
                + "\"error\":{\"kind\":\"MALFORMED_JSON\",\"message\":\"bad \\\"json\\\"\"},"
                + "\"deadLetteredAt\":\"2026-11-23T12:00:00.123456Z\","
                + "\"source\":{\"topic\":\"order.cancelled\",\"partition\":3,\"offset\":15,\"timestamp\":1700000000000,"
                + "\"timestampType\":\"CREATE_TIME\"},"
                + "\"key\":\"aw==\",\"value\":\"e/8=\","
                + "\"headers\":[{\"name\":\"ce_id\",\"value\":\"aWQtMQ==\"},{\"name\":\"empty\",\"value\":null}]}");
    }

    @Test
    void absentKeyAndValueAreJsonNulls() {
        var message = new ReceivedMessage("t", 0, 0, 0, "NO_TIMESTAMP_TYPE", null, null, null);
        String json = new String(DeadLetterJson.encode(new DeadLetter("c", "k", message, DeadLetter.ErrorKind.MALFORMED_JSON, null, AT, null)),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"key\":null,\"value\":null,\"headers\":[]").contains("\"message\":\"\"");
    }

    @Test
    void theRowIsKeyedByTheRecordKeyAndNamesTheErrorAndSourceInHeaders() throws Exception {
        var message = received("order-42".getBytes(StandardCharsets.UTF_8));
        var letter = new DeadLetter("cancel-consumer-fn", "event:abc", message, DeadLetter.ErrorKind.UNKNOWN_ORDER, "no such order", AT,
                new TraceContext("00-trace-01", "corr-1"));
        Map<String, Object> row = appendAndRead(letter);
        assertThat(row.get("message_id")).isEqualTo(UUID.nameUUIDFromBytes(
                "dead-letter|cancel-consumer-fn|event:abc".getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get("aggregate_type")).isEqualTo("dead-letter");
        assertThat(row.get("aggregate_id")).isEqualTo("order-42");
        assertThat(row.get("event_type")).isEqualTo(DeadLetter.ORDER_CANCELLED_DLQ);
        assertThat(row.get("source")).isEqualTo("/test");
        assertThat(row.get("content_type")).isEqualTo("application/json");
        assertThat(row.get("payload")).isEqualTo(DeadLetterJson.encode(letter));
        assertThat(row.get("kind")).isEqualTo("UNKNOWN_ORDER");
        assertThat(row.get("error")).isEqualTo("no such order");
        assertThat(row.get("consumer")).isEqualTo("cancel-consumer-fn");
        assertThat(row.get("topic")).isEqualTo("order.cancelled");
        assertThat(row.get("partition")).isEqualTo("2");
        assertThat(row.get("offset")).isEqualTo("77");
        assertThat(row.get("traceparent")).isEqualTo("00-trace-01");
    }

    @Test
    void aKeyThatIsNotUsableTextFallsBackToTheRecordsPosition() throws Exception {
        for (byte[] key : new byte[][] {null, new byte[0], {(byte) 0xc3, (byte) 0x28}, {'a', 0, 'b'}, {0, 'a'}}) {
            var letter = new DeadLetter("c", "k-" + UUID.randomUUID(), received(key), DeadLetter.ErrorKind.MALFORMED_RECORD, "x", AT, null);
            assertThat(appendAndRead(letter).get("aggregate_id")).isEqualTo("order.cancelled-2-77");
        }
    }

    @Test
    void theErrorHeaderIsCutTo500CharactersAndLosesItsNuls() throws Exception {
        var long_ = new DeadLetter("c", "k-" + UUID.randomUUID(), received(null), DeadLetter.ErrorKind.MALFORMED_RECORD, "e".repeat(501), AT, null);
        assertThat((String) appendAndRead(long_).get("error")).hasSize(500);
        var nul = new DeadLetter("c", "k-" + UUID.randomUUID(), received(null), DeadLetter.ErrorKind.MALFORMED_RECORD, "a\u0000b", AT, null);
        assertThat(appendAndRead(nul).get("error")).isEqualTo("a\uFFFDb");
    }

    private static ReceivedMessage received(byte[] key) {
        return new ReceivedMessage("order.cancelled", 2, 77, 1L, "CREATE_TIME", key, "{}".getBytes(StandardCharsets.UTF_8),
                List.of());
    }

    /** Appends in a transaction, reads the row back inside it, then rolls back (the shared tables stay clean). */
    private static Map<String, Object> appendAndRead(DeadLetter letter) throws SQLException {
        try (Connection c = SharedOrderDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                new JdbcOutboxWriter().append(c, OutboxMessages.of(letter, "/test"));
                try (var s = c.prepareStatement("""
                        select message_id, aggregate_type, aggregate_id, event_type, source, content_type, payload,
                               headers->>'dlq-error-kind' as kind, headers->>'dlq-error' as error,
                               headers->>'dlq-consumer' as consumer, headers->>'dlq-source-topic' as topic,
                               headers->>'dlq-source-partition' as partition, headers->>'dlq-source-offset' as offset,
                               headers->>'traceparent' as traceparent
                          from outbox_message where message_id = ?""")) {
                    s.setObject(1, UUID.nameUUIDFromBytes(("dead-letter|" + letter.consumer() + "|" + letter.inboxKey())
                            .getBytes(StandardCharsets.UTF_8)));
                    try (var rs = s.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        var row = new java.util.HashMap<String, Object>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                        }
                        return row;
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }
}
