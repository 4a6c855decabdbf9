package com.example.outbox.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The retry policy is a pure function of the attempt count: the wait it returns is applied by the database
 * ({@code available_at = now() + backoff}), so it needs no clock of its own and is tested without waiting.
 */
class RetryPolicyTest {

    @Test
    void backoffDoublesFromTheFirstWaitUpToTheMaximum() {
        var policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.backoffAfter(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoffAfter(1_000_000)).as("no overflow").isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoffAfter(0)).as("before any rejection, the first wait").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void atLeastOneAttempt() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
