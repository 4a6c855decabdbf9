package com.example.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.cancel.esm.EsmRecord;
import com.example.order.app.ApplyCancellation;
import com.example.order.app.DeadLetter.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cancellation time as read and as judged. The reader reads any ISO-8601 instant exactly as sent (UTC or with an
 * offset, any year {@link Instant} holds, any fraction) and turns everything else into {@code INVALID_FIELD}, never an
 * exception; {@link ApplyCancellation#implausibility} accepts exactly the times from the order's creation to now,
 * each widened by the clock-skew leeway. Fixed seed (jqwik prints it in every property's report).
 */
class CancellationTimePropertyTest {

    static final String SEED = "20261201";
    static final String ORDER = "7b0e3a52-1c6f-4c1e-9f3a-2d6b8c9e0f11";
    static final long RECORD_TIMESTAMP = 1_700_000_000_000L;

    private final CancellationReader reader = new CancellationReader();

    @Property(tries = 200, seed = SEED)
    void anyInstantIsReadExactlyAsSent(@ForAll("instants") Instant instant, @ForAll("offsets") ZoneOffset offset) {
        String utc = instant.toString();
        String withOffset = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(instant, offset));
        for (String text : List.of(utc, withOffset, " " + utc + " ")) {
            Reading reading = reader.read(record("{\"orderId\":\"" + ORDER + "\",\"occurredAt\":\"" + text + "\"}", null));
            assertThat(reading).as(text).isInstanceOf(Reading.Cancellation.class);
            assertThat(((Reading.Cancellation) reading).cancelledAt()).as(text).isEqualTo(instant);
            Reading fromHeader = reader.read(record("{\"orderId\":\"" + ORDER + "\"}", text));
            assertThat(((Reading.Cancellation) fromHeader).cancelledAt()).as("ce_time " + text).isEqualTo(instant);
        }
    }

    @Property(tries = 200, seed = SEED)
    void anyOtherTextIsInvalidFieldNeverAnException(@ForAll("timeLikeText") String text) {
        boolean instant;
        try {
            Instant.parse(text.trim());
            instant = true;
        } catch (DateTimeException e) {
            instant = false;
        }
        String json = "{\"orderId\":\"" + ORDER + "\",\"occurredAt\":\"" + jsonEscaped(text) + "\"}";
        Reading reading = reader.read(record(json, null));
        if (instant) {
            assertThat(reading).isInstanceOf(Reading.Cancellation.class);
        } else {
            assertThat(reading).isInstanceOf(Reading.Poison.class);
            assertThat(((Reading.Poison) reading).kind()).isEqualTo(ErrorKind.INVALID_FIELD);
        }
    }

    @Property(tries = 200, seed = SEED)
    void plausibleExactlyFromCreationToNowWithinTheLeeway(@ForAll("creationTimes") Instant createdAt,
            @ForAll("spans") Duration age, @ForAll("spans") Duration offset, @ForAll boolean fromCreation) {
        Instant now = createdAt.plus(age);
        Duration leeway = ApplyCancellation.CLOCK_SKEW_LEEWAY;
        Instant at = fromCreation ? createdAt.minus(leeway).plus(offset) : now.plus(leeway).minus(offset);
        boolean inside = !at.isBefore(createdAt.minus(leeway)) && !at.isAfter(now.plus(leeway));
        String why = ApplyCancellation.implausibility(at, createdAt, now);
        assertThat(why == null).as("at %s, created %s, now %s: %s", at, createdAt, now, why).isEqualTo(inside);
    }

    @Provide
    Arbitrary<Instant> instants() {
        // What ISO-8601 text can say (LocalDateTime's years, +-999,999,999), less a day at each end for the offset.
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC) + 86_400,
                        LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC) - 86_400),
                Arbitraries.longs().between(-62_135_596_800L - 86_400, -62_135_596_800L + 86_400), // around year 1
                Arbitraries.longs().between(253_402_300_799L - 86_400, 253_402_300_799L + 86_400), // around year 9999
                Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L));                      // these years
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.of(0, 999_999_999, 123_456_000));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    /** Creation times within about 30,000 years of 1970, so that ten years either side stay inside Instant's range. */
    @Provide
    Arbitrary<Instant> creationTimes() {
        return Combinators.combine(Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds);
    }

    /** Durations around the leeway (where the boundary is) and up to ten years, to the nanosecond. */
    @Provide
    Arbitrary<Duration> spans() {
        Duration leeway = ApplyCancellation.CLOCK_SKEW_LEEWAY;
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000, 1_000).map(n -> Duration.ofNanos(n)),
                Arbitraries.longs().between(-1_000, 1_000).map(n -> leeway.multipliedBy(2).plusNanos(n)),
                Arbitraries.longs().between(-3_650L * 86_400, 3_650L * 86_400).map(Duration::ofSeconds));
    }

    @Provide
    Arbitrary<String> timeLikeText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789-+:.TZtz ").ofMaxLength(40),
                instants().map(Instant::toString).map(s -> s.substring(0, Math.max(0, s.length() - 1))),
                instants().map(Instant::toString),
                Arbitraries.strings().all().ofMaxLength(30));
    }

    private static EsmRecord record(String value, String ceTime) {
        List<com.example.order.app.ReceivedMessage.Header> headers = ceTime == null ? List.of()
                : List.of(new com.example.order.app.ReceivedMessage.Header("ce_time", ceTime.getBytes(StandardCharsets.UTF_8)));
        return new EsmRecord("order.cancelled-0", "order.cancelled", 0, 1, RECORD_TIMESTAMP, "CREATE_TIME", null,
                value.getBytes(StandardCharsets.UTF_8), headers, null);
    }

    private static String jsonEscaped(String text) {
        var out = new StringBuilder();
        text.chars().forEach(c -> out.append(c == '"' || c == '\\' || c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
