package com.example.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Backoff arithmetic of {@link RetryPolicy} and the value rules of {@link OutboxMessage} and {@link PublishResult}. */
class RetryPolicyAndMessageTest {

    @Test
    void backoffDoublesFromTheFirstAndStopsAtTheMaximum() {
        var policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(policy.backoffAfter(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoffAfter(5)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void theDoublingStopsAfterTwentyStepsSoTheShiftCannotOverflow() {
        var policy = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofDays(365));
        assertThat(policy.backoffAfter(21)).isEqualTo(Duration.ofMillis(1L << 20));
        assertThat(policy.backoffAfter(22)).isEqualTo(Duration.ofMillis(1L << 20));
        assertThat(policy.backoffAfter(100)).isEqualTo(Duration.ofMillis(1L << 20));
    }

    @Test
    void atLeastOneAttemptIsRequired() {
        assertThat(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).maxAttempts()).isOne();
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetryPolicy.defaults()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5)));
    }

    @Test
    void jsonMessagesHaveTheJsonContentTypeAndNoHeaders() {
        var id = UUID.randomUUID();
        var at = Instant.parse("2026-01-01T00:00:00Z");
        var m = OutboxMessage.json(id, "order", "o-1", "order.created", "/src", at, new byte[] {1});
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.extraHeaders()).isEmpty();
        assertThat(m.messageId()).isEqualTo(id);
        assertThat(m.occurredAt()).isEqualTo(at);
    }

    @Test
    void extraHeadersAreCopiedAndNullMeansNone() {
        var headers = new HashMap<String, String>(Map.of("traceparent", "00-x"));
        var m = OutboxMessage.json(UUID.randomUUID(), "order", "o-1", "order.created", "/src", Instant.EPOCH, new byte[0])
                .withExtraHeaders(headers);
        headers.put("later", "change");
        assertThat(m.extraHeaders()).containsExactly(Map.entry("traceparent", "00-x"));
        assertThat(m.aggregateId()).isEqualTo("o-1");
        assertThat(m.withExtraHeaders(null).extraHeaders()).isEmpty();
    }

    @Test
    void onlyAnAckedResultIsAcked() {
        var pending = new PendingMessage(1, OutboxMessage.json(UUID.randomUUID(), "order", "o-1", "order.created", "/src",
                Instant.EPOCH, new byte[0]), 0);
        assertThat(PublishResult.acked(pending).acked()).isTrue();
        assertThat(PublishResult.transientFailure(pending, "x").acked()).isFalse();
        assertThat(PublishResult.rejected(pending, "x").acked()).isFalse();
        assertThat(PublishResult.rejected(pending, "why").error()).isEqualTo("why");
    }
}
