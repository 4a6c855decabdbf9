package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxRelay;
import com.example.outbox.PublishResult;
import com.example.outbox.RetryPolicy;
import com.example.outbox.jdbc.JdbcOutboxClaimer;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A zombie is a relay that stalls while holding a claim (a frozen or timed-out Lambda invocation) and wakes up
 * after its hold limit, when another relay has taken over.
 */
class ZombieRelayTest {

    private static final Duration HOLD_LIMIT = Duration.ofSeconds(1);

    @Test
    void whileAClaimIsHeldNoOtherRelayGetsThatAggregateAndAnExpiredHolderCannotMarkTheRowsItLost() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(1, 3));
        var zombieClaimer = new JdbcOutboxClaimer(RelayFixture.dataSource, RetryPolicy.defaults(), HOLD_LIMIT);
        var liveClaimer = new JdbcOutboxClaimer(RelayFixture.dataSource, RetryPolicy.defaults(), Duration.ofSeconds(30));

        try (ClaimedBatch zombie = zombieClaimer.claim(100)) {
            assertThat(zombie.messages()).hasSize(1);
            try (ClaimedBatch other = liveClaimer.claim(100)) {
                assertThat(other.messages()).as("neither the held head nor its successors are claimable").isEmpty();
            }
            Thread.sleep(HOLD_LIMIT.multipliedBy(2).toMillis());

            try (ClaimedBatch taker = liveClaimer.claim(100)) {
                assertThat(taker.messages()).as("the expired claim's row is free again")
                        .extracting(m -> m.id()).containsExactly(zombie.messages().getFirst().id());
                assertThatThrownBy(zombie::verifyStillHeld).isInstanceOf(ClaimLostException.class);
                assertThatThrownBy(() -> zombie.complete(zombie.messages().stream().map(PublishResult::acked).toList()))
                        .isInstanceOf(ClaimLostException.class);
                assertThat(fixture.publishedCount()).as("the zombie marked nothing").isZero();
                taker.complete(taker.messages().stream().map(PublishResult::acked).toList());
            }
        }
        assertThat(fixture.publishedCount()).isEqualTo(1);
    }

    @Test
    void zombieRelayThatWakesAfterItsHoldLimitPublishesNothingAndOrderStaysIntact() throws Exception {
        var fixture = new RelayFixture();
        fixture.append(fixture.interleaved(30, 5));
        var realClaimer = new JdbcOutboxClaimer(RelayFixture.dataSource, RetryPolicy.defaults(), HOLD_LIMIT);
        // Freezes right after its first claim, longer than the hold limit, like a suspended invocation.
        OutboxClaimer freezingClaimer = new OutboxClaimer() {
            boolean frozen;

            @Override
            public ClaimedBatch claim(int max) throws java.sql.SQLException {
                ClaimedBatch batch = realClaimer.claim(max);
                if (!frozen && !batch.isEmpty()) {
                    frozen = true;
                    try {
                        Thread.sleep(HOLD_LIMIT.multipliedBy(4).toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return batch;
            }
        };
        var executor = Executors.newSingleThreadExecutor();
        try (var zombiePublisher = fixture.publisher(); var livePublisher = fixture.publisher()) {
            var zombieRun = executor.submit(() -> new OutboxRelay(freezingClaimer, zombiePublisher,
                    RelayFixture.settings(Duration.ofMillis(500))).drain(RelayFixture.budget(Duration.ofSeconds(60))));
            Thread.sleep(HOLD_LIMIT.multipliedBy(2).toMillis());
            var liveRun = fixture.relay(livePublisher, RetryPolicy.defaults(), RelayFixture.settings(Duration.ofSeconds(1)))
                    .drain(RelayFixture.budget(Duration.ofSeconds(60)));
            var zombie = zombieRun.get();

            assertThat(zombie.claimsLost()).isEqualTo(1);
            assertThat(zombie.published() + liveRun.published()).isEqualTo(150);
        } finally {
            executor.shutdown();
        }
        var records = fixture.consume(150, Duration.ofSeconds(30));
        assertThat(records).as("the zombie sent nothing: no stale copies").hasSize(150);
        RelayFixture.assertCompleteAndOrdered(records, 30, 5);
    }
}
