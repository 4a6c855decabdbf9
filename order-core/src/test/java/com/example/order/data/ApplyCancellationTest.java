package com.example.order.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.order.app.ApplyCancellation;
import com.example.order.app.CancelOrderCommand;
import com.example.order.app.CancellationOutcome;
import com.example.order.app.CreateOrder;
import com.example.order.app.CreateOrderCommand;
import com.example.order.app.CreateOrderResult;
import com.example.order.app.DeadLetter;
import com.example.order.app.GetOrder;
import com.example.order.app.ReceivedMessage;
import com.example.order.app.TraceContext;
import com.example.order.app.Transactions;
import com.example.order.domain.Order;
import com.example.order.domain.OrderDraft;
import com.example.order.domain.OrderStatus;
import com.example.order.testing.SharedOrderDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dedupe use case against real PostgreSQL: each outcome of {@link ApplyCancellation}, what it leaves in the
 * orders, inbox and outbox tables, and that a redelivery changes nothing.
 */
class ApplyCancellationTest {

    static final Instant NOW = Instant.parse("2026-03-04T05:06:07.123456789Z");
    /** When every order here is created: before the cancellation times the tests use, which lie before NOW. */
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static Transactions transactions;
    static ApplyCancellation cancellations;
    static CreateOrder createOrder;

    @BeforeAll
    static void setUp() {
        transactions = SharedOrderDatabase.orderStore().transactions("/order-service/test");
        cancellations = new ApplyCancellation(transactions, Clock.fixed(NOW, ZoneOffset.UTC));
        createOrder = new CreateOrder(transactions, Clock.fixed(CREATED, ZoneOffset.UTC));
    }

    @Test
    void aCancellationIsAppliedOnceAndARedeliveryIsADuplicate() {
        Order order = newOrder();
        var at = Instant.parse("2026-02-01T10:00:00.123456789Z");
        var command = command(UUID.randomUUID().toString(), order.id(), "customer request", at);
        assertThat(cancellations.apply(command)).isEqualTo(CancellationOutcome.APPLIED);
        assertThat(cancellations.apply(command)).isEqualTo(CancellationOutcome.DUPLICATE);
        Order read = new GetOrder(transactions).get(order.id()).orElseThrow();
        assertThat(read.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(read.cancelReason()).isEqualTo("customer request");
        assertThat(read.cancelledAt()).isEqualTo(Instant.parse("2026-02-01T10:00:00.123456Z"));
        assertThat(read.version()).isOne();
    }

    @Test
    void aSecondCancellationLeavesTheFirstReasonAndTime() {
        Order order = newOrder();
        cancellations.apply(command(UUID.randomUUID().toString(), order.id(), "first", Instant.parse("2026-02-01T00:00:00Z")));
        var second = command(UUID.randomUUID().toString(), order.id(), "second", Instant.parse("2026-02-02T00:00:00Z"));
        assertThat(cancellations.apply(second)).isEqualTo(CancellationOutcome.ALREADY_CANCELLED);
        assertThat(cancellations.apply(second)).isEqualTo(CancellationOutcome.DUPLICATE);
        Order read = new GetOrder(transactions).get(order.id()).orElseThrow();
        assertThat(read.cancelReason()).isEqualTo("first");
        assertThat(read.version()).isOne();
    }

    @Test
    void anUnknownOrderIsDeadLetteredOnceAtTheClocksTime() {
        String key = UUID.randomUUID().toString();
        UUID missing = UUID.randomUUID();
        var command = command(key, missing, "x", Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(cancellations.apply(command)).isEqualTo(CancellationOutcome.DEAD_LETTERED);
        assertThat(cancellations.apply(command)).isEqualTo(CancellationOutcome.DUPLICATE);
        var rows = SharedOrderDatabase.rows("select headers->>'dlq-error-kind' as kind, headers->>'dlq-error' as error,"
                + " occurred_at from outbox_message where message_id = ?", deadLetterId(key));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("kind")).isEqualTo(DeadLetter.ErrorKind.UNKNOWN_ORDER.name());
        assertThat(rows.get(0).get("error")).isEqualTo("No order " + missing);
        assertThat(((java.sql.Timestamp) rows.get(0).get("occurred_at")).toInstant())
                .isEqualTo(Instant.parse("2026-03-04T05:06:07.123456Z"));
    }

    @Test
    void aPoisonMessageIsDeadLetteredOnce() {
        String key = UUID.randomUUID().toString();
        var letter = new DeadLetter("test-consumer", key, source(), DeadLetter.ErrorKind.MALFORMED_JSON, "not json", NOW, null);
        assertThat(cancellations.deadLetter(letter)).isEqualTo(CancellationOutcome.DEAD_LETTERED);
        assertThat(cancellations.deadLetter(letter)).isEqualTo(CancellationOutcome.DUPLICATE);
        assertThat(SharedOrderDatabase.count("select count(*) from outbox_message where message_id = ?", deadLetterId(key)))
                .isOne();
        assertThat(SharedOrderDatabase.count(
                "select count(*) from inbox_message where consumer = 'test-consumer' and message_key = ?", key)).isOne();
    }

    /**
     * A cancellation time is plausible from the order's creation to now, each widened by five minutes of clock skew,
     * to the microsecond the database keeps; outside, the message is dead-lettered as IMPLAUSIBLE_TIME, the order is
     * left alone, and a redelivery is a duplicate.
     */
    @Test
    void aCancellationTimeOutsideCreationToNowIsDeadLetteredNotStored() {
        Duration leeway = ApplyCancellation.CLOCK_SKEW_LEEWAY;
        Instant now = NOW.truncatedTo(ChronoUnit.MICROS);
        for (Instant at : List.of(CREATED.minus(leeway), now.plus(leeway), now.plus(leeway).plusNanos(999))) {
            Order order = newOrder();
            assertThat(cancellations.apply(command(UUID.randomUUID().toString(), order.id(), "r", at))).as(at.toString())
                    .isEqualTo(CancellationOutcome.APPLIED);
            assertThat(new GetOrder(transactions).get(order.id()).orElseThrow().cancelledAt())
                    .isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
        }
        for (Instant at : List.of(CREATED.minus(leeway).minusNanos(1_000), now.plus(leeway).plusNanos(1_000),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("+300000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX)) {
            Order order = newOrder();
            String key = UUID.randomUUID().toString();
            var command = command(key, order.id(), "r", at);
            assertThat(cancellations.apply(command)).as(at.toString()).isEqualTo(CancellationOutcome.IMPLAUSIBLE_TIME_DEAD_LETTERED);
            assertThat(cancellations.apply(command)).as(at + " again").isEqualTo(CancellationOutcome.DUPLICATE);
            Order read = new GetOrder(transactions).get(order.id()).orElseThrow();
            assertThat(read.status()).isEqualTo(OrderStatus.CREATED);
            assertThat(read.cancelledAt()).isNull();
            var rows = SharedOrderDatabase.rows("select headers->>'dlq-error-kind' as kind, headers->>'dlq-error' as error"
                    + " from outbox_message where message_id = ?", deadLetterId(key));
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.get("kind")).isEqualTo(DeadLetter.ErrorKind.IMPLAUSIBLE_TIME.name());
                assertThat((String) row.get("error")).startsWith("Cancellation of order " + order.id() + ": its time "
                        + at.truncatedTo(ChronoUnit.MICROS));
            });
        }
    }

    /** Even an already cancelled order dead-letters an implausible time: the verdict depends on the message only. */
    @Test
    void anImplausibleTimeIsDeadLetteredAlsoForACancelledOrder() {
        Order order = newOrder();
        cancellations.apply(command(UUID.randomUUID().toString(), order.id(), "first", NOW));
        var late = command(UUID.randomUUID().toString(), order.id(), "second", Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(cancellations.apply(late)).isEqualTo(CancellationOutcome.IMPLAUSIBLE_TIME_DEAD_LETTERED);
        assertThat(new GetOrder(transactions).get(order.id()).orElseThrow().cancelReason()).isEqualTo("first");
    }

    /** ADR 0027: the reviewer's case in the use case: one event id, two orders. */
    @Test
    void anIdReusedForAnotherOrderIsDeadLetteredOnceAndNeverApplied() {
        Order a = newOrder();
        Order b = newOrder();
        String key = "event:dup-" + UUID.randomUUID();
        var first = new CancelOrderCommand("test-consumer", key, a.id(), "r", NOW, source(a.id()), TraceContext.none());
        var second = new CancelOrderCommand("test-consumer", key, b.id(), "r", NOW, source(b.id()), TraceContext.none());
        assertThat(cancellations.apply(first)).isEqualTo(CancellationOutcome.APPLIED);
        assertThat(cancellations.apply(second)).isEqualTo(CancellationOutcome.ID_REUSED);
        assertThat(cancellations.apply(second)).as("its redelivery").isEqualTo(CancellationOutcome.DUPLICATE);
        assertThat(cancellations.apply(first)).as("the first again").isEqualTo(CancellationOutcome.DUPLICATE);
        assertThat(new GetOrder(transactions).get(b.id()).orElseThrow().status()).isEqualTo(OrderStatus.CREATED);
        assertThat(new GetOrder(transactions).get(a.id()).orElseThrow().version()).isOne();
        var rows = SharedOrderDatabase.rows("select message_id, headers->>'dlq-error-kind' as kind,"
                + " headers->>'dlq-error' as error from outbox_message where event_type = 'order.cancelled.dlq'"
                + " and headers->>'dlq-error' like ?", "Inbox key " + key + " %");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("kind")).isEqualTo(DeadLetter.ErrorKind.ID_REUSED_WITH_DIFFERENT_CONTENT.name());
            assertThat((String) row.get("error")).contains("a cancellation of order " + b.id());
            assertThat(row.get("message_id")).as("not the id a dead letter of the first message would have")
                    .isNotEqualTo(deadLetterId(key));
        });
    }

    @Test
    void aPoisonMessageUnderAnAppliedKeyIsDeadLetteredAsIdReused() {
        Order a = newOrder();
        String key = "event:dup-" + UUID.randomUUID();
        cancellations.apply(new CancelOrderCommand("test-consumer", key, a.id(), "r", NOW, source(a.id()), TraceContext.none()));
        var letter = new DeadLetter("test-consumer", key, source(), DeadLetter.ErrorKind.MALFORMED_JSON, "not json", NOW, null);
        assertThat(cancellations.deadLetter(letter)).isEqualTo(CancellationOutcome.ID_REUSED);
        assertThat(cancellations.deadLetter(letter)).isEqualTo(CancellationOutcome.DUPLICATE);
        assertThat(SharedOrderDatabase.count("select count(*) from outbox_message where event_type = 'order.cancelled.dlq'"
                + " and headers->>'dlq-error-kind' = 'ID_REUSED_WITH_DIFFERENT_CONTENT' and headers->>'dlq-error' like ?",
                "Inbox key " + key + " %MALFORMED_JSON: not json%")).isOne();
    }

    /** An inbox entry written before fingerprints (NULL): a repeat is skipped as before, and says so. */
    @Test
    void aKeyRecordedBeforeFingerprintsIsAnUnverifiedDuplicate() {
        Order a = newOrder();
        String key = "event:legacy-" + UUID.randomUUID();
        SharedOrderDatabase.rows("insert into inbox_message (consumer, message_key) values ('test-consumer', ?)"
                + " returning message_key", key);
        var command = new CancelOrderCommand("test-consumer", key, a.id(), "r", NOW, source(a.id()), TraceContext.none());
        assertThat(cancellations.apply(command)).isEqualTo(CancellationOutcome.UNVERIFIED_DUPLICATE);
        assertThat(new GetOrder(transactions).get(a.id()).orElseThrow().status()).isEqualTo(OrderStatus.CREATED);
    }

    private static ReceivedMessage source(UUID orderId) {
        return new ReceivedMessage("order.cancelled", 0, 1, 1L, "CREATE_TIME", null,
                ("{\"orderId\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8),
                List.of(new ReceivedMessage.Header("ce_id", "dup-1".getBytes(StandardCharsets.UTF_8))));
    }

    private static UUID deadLetterId(String key) {
        return UUID.nameUUIDFromBytes(("dead-letter|test-consumer|" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static CancelOrderCommand command(String key, UUID orderId, String reason, Instant at) {
        return new CancelOrderCommand("test-consumer", key, orderId, reason, at, source(), TraceContext.none());
    }

    private static ReceivedMessage source() {
        return new ReceivedMessage("order.cancelled", 0, 1, 1L, "CREATE_TIME", null, "{}".getBytes(StandardCharsets.UTF_8),
                List.of());
    }

    private static Order newOrder() {
        var draft = new OrderDraft(UUID.randomUUID(), List.of(
                new OrderDraft.Line(UUID.randomUUID(), BigInteger.ONE, new BigDecimal("5.00"))));
        return ((CreateOrderResult.Created) createOrder.create(new CreateOrderCommand(draft, null, null))).order();
    }
}
