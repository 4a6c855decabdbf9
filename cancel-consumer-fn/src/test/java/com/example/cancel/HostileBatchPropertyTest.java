package com.example.cancel;

import static com.example.cancel.CancelRecords.cancel;
import static com.example.cancel.CancelRecords.topic;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.domain.OrderDraft;
import com.example.order.data.OrderStore;
import com.example.servers.EsmBatch;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated event source mapping batches through the handler against the real PostgreSQL (issue 9): arbitrary
 * bytes in keys, values and header values never make a record transient while the database is up, and distinct
 * {@code ce_id} byte sequences always take effect as distinct messages. Fixed seed, printed in jqwik's report.
 */
class HostileBatchPropertyTest {

    static final String SEED = "91130";
    static final List<String> HEADER_NAMES = List.of("ce_id", "ce_id", "ce_type", "ce_specversion", "content-type",
            "ce_time", "traceparent", "x-correlation-id", "ce_source", "other");

    static CancelConsumerFunction function;
    static CancelBatchProcessor processor;
    static List<UUID> orders = new ArrayList<>();
    static CreateOrder createOrder;
    static DataSource pool;

    @BeforeContainer
    static void start() {
        function = new CancelConsumerFunction(ApplicationContext.run(TestDatabase.properties()));
        processor = function.getApplicationContext().getBean(CancelBatchProcessor.class);
        // The function's connection pool: the shared test data source opens a connection per call, which made
        // each try ten times slower.
        pool = DelegatingDataSource.unwrapDataSource(function.getApplicationContext().getBean(DataSource.class));
        createOrder = new CreateOrder(function.getApplicationContext().getBean(OrderStore.class).transactions("/test"),
                Clock.systemUTC());
        for (int i = 0; i < 20; i++) {
            orders.add(create());
        }
    }

    static UUID create() {
        var draft = new OrderDraft(UUID.randomUUID(),
                List.of(new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("9.99"))));
        return ((CreateOrderResult.Created) createOrder.create(new CreateOrderCommand(draft, null, null))).order().id();
    }

    static long cancelled(UUID... ids) {
        try (Connection c = pool.getConnection();
                var s = c.prepareStatement("select count(*) from orders where id = any(?) and status = 'CANCELLED'")) {
            s.setArray(1, c.createArrayOf("uuid", ids));
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static void stop() {
        function.close();
    }

    record Rec(int partition, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers) {
    }

    static BatchResult run(String topic, List<Rec> records) {
        var batch = EsmBatch.selfManaged("k:9092");
        long[] offsets = new long[2];
        for (Rec r : records) {
            batch.add(topic, r.partition(), offsets[r.partition()]++, System.currentTimeMillis(), "CREATE_TIME", r.key(),
                    r.value(), r.headers());
        }
        return processor.process(LambdaRuntime.kafkaEvent(batch.toJson()), () -> 60_000);
    }

    @Property(tries = 200, seed = SEED)
    void noGeneratedRecordIsEverTransientWhileTheDatabaseIsUp(@ForAll("batches") List<Rec> records) {
        String topic = topic("prop-");

        BatchResult result = run(topic, records);

        assertThat(result.response().batchItemFailures()).isEmpty();
        BatchResult c = result;
        assertThat(c.transientFailures()).isZero();
        assertThat(c.retried()).isZero();
        assertThat(c.applied() + c.alreadyCancelled() + c.duplicates() + c.deadLettered()).isEqualTo(records.size());

        // Redelivery of the same batch: every record is a duplicate of itself, nothing else.
        BatchResult again = run(topic, records);
        assertThat(again.duplicates()).isEqualTo(records.size());
    }

    @Property(tries = 200, seed = SEED)
    void distinctCeIdByteSequencesBothTakeEffect(@ForAll("ceIds") byte[] a, @ForAll("ceIds") byte[] b) {
        Assume.that(!Arrays.equals(a, b));
        // Event ids are global to the consumer: one fresh prefix per try keeps tries apart and a, b distinct.
        byte[] fresh = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        UUID first = create();
        UUID second = create();
        String topic = topic("ids-");

        BatchResult result = run(topic, List.of(
                new Rec(0, null, cancel(first, "property"), List.of(Map.entry("ce_id", concat(fresh, a)))),
                new Rec(0, null, cancel(second, "property"), List.of(Map.entry("ce_id", concat(fresh, b))))));

        assertThat(result.response().batchItemFailures()).isEmpty();
        assertThat(result.applied()).isEqualTo(2);
        assertThat(cancelled(first, second)).isEqualTo(2);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Provide
    Arbitrary<byte[]> ceIds() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(12),
                Arbitraries.of((byte) 0, (byte) ' ', (byte) 'a', (byte) 0xC1, (byte) 0x81, (byte) 0xED, (byte) 0xA0,
                        (byte) 0x80, (byte) 0xFF).array(byte[].class).ofMaxSize(5),
                Arbitraries.bytes().array(byte[].class).ofMinSize(2600).ofMaxSize(4200));
    }

    @Provide
    Arbitrary<List<Rec>> batches() {
        return record().list().ofMinSize(1).ofMaxSize(6);
    }

    Arbitrary<Rec> record() {
        return Combinators.combine(Arbitraries.integers().between(0, 1), bytesOrNull(64), value(),
                header().list().ofMaxSize(4)).as(Rec::new);
    }

    Arbitrary<byte[]> bytesOrNull(int max) {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(max),
                Arbitraries.bytes().array(byte[].class).ofMinSize(3000).ofMaxSize(4000),
                Arbitraries.just(null));
    }

    Arbitrary<Map.Entry<String, byte[]>> header() {
        Arbitrary<byte[]> value = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.bytes().array(byte[].class).ofMinSize(3000).ofMaxSize(5000),
                Arbitraries.of("1.0", "order.cancelled", "application/json", "2026-11-23T12:00:00Z",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "+300000-01-01T00:00:00Z", " ")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
        return Combinators.combine(Arbitraries.of(HEADER_NAMES), value).as(Map::entry);
    }

    Arbitrary<byte[]> value() {
        Arbitrary<byte[]> json = Combinators.combine(orderId(), jsonString(), jsonString(), jsonString(),
                Arbitraries.integers().between(0, 31)).as((order, eventId, reason, occurredAt, present) -> {
                    var out = new StringBuilder("{");
                    if ((present & 1) != 0) {
                        out.append("\"eventId\":").append(eventId).append(',');
                    }
                    if ((present & 2) != 0) {
                        out.append("\"reason\":").append(reason).append(',');
                    }
                    if ((present & 4) != 0) {
                        out.append("\"occurredAt\":").append(occurredAt).append(',');
                    }
                    if ((present & 8) != 0) {
                        out.append("\"schemaVersion\":").append((present & 16) != 0 ? "1" : "\"2\"").append(',');
                    }
                    out.append("\"orderId\":").append(order).append('}');
                    return out.toString().getBytes(StandardCharsets.UTF_8);
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, json),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(80)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    Arbitrary<String> orderId() {
        return Arbitraries.oneOf(
                Arbitraries.of(orders).map(id -> "\"" + id + "\""),
                Arbitraries.just("\"" + UUID.randomUUID() + "\""),
                jsonString(),
                Arbitraries.of("1", "null", "{}", "[]"));
    }

    /** A JSON string literal of arbitrary chars, escaped so that unpaired surrogates survive as \\u escapes. */
    Arbitrary<String> jsonString() {
        Arbitrary<String> chars = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars('a', '\u0000', '\ud800', '\udbff', '\udc00', '\ud83d', '\ude00', '"',
                        '\\', ' ').ofMaxLength(6),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2001).ofMaxLength(6000));
        return chars.map(HostileBatchPropertyTest::jsonLiteral);
    }

    static String jsonLiteral(String s) {
        var out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
