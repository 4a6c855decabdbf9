package com.example.outbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outbox.ClaimLostException;
import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxTables;
import com.example.outbox.PublishResult;
import com.example.outbox.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The claim's hold on its rows, at the level of {@link ClaimedBatch}. What a zombie relay does to the topic as a whole
 * is proven by the contract kit (RelayContract.zombieRelayPublishesNothingStale in outbox-testkit).
 */
class JdbcOutboxClaimerTest {

    private static final Duration HOLD_LIMIT = Duration.ofSeconds(1);

    @Test
    void whileAClaimIsHeldNoOtherRelayGetsThatAggregateAndAnExpiredHolderCannotMarkTheRowsItLost() throws Exception {
        OutboxTables.clear();
        String aggregate = "claimed-" + System.nanoTime();
        OutboxTables.append(OutboxTables.message(aggregate), OutboxTables.message(aggregate), OutboxTables.message(aggregate));
        var dataSource = OutboxTables.dataSource();
        var zombieClaimer = new JdbcOutboxClaimer(dataSource, RetryPolicy.defaults(), HOLD_LIMIT);
        var liveClaimer = new JdbcOutboxClaimer(dataSource, RetryPolicy.defaults(), Duration.ofSeconds(30));

        try (ClaimedBatch zombie = zombieClaimer.claim(100)) {
            assertThat(zombie.messages()).as("only the aggregate's head").hasSize(1);
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
                assertThat(OutboxTables.count("outbox_published", "true")).as("the zombie marked nothing").isZero();
                taker.complete(taker.messages().stream().map(PublishResult::acked).toList());
            }
        }
        assertThat(OutboxTables.count("outbox_published", "true")).isEqualTo(1);
    }
}
