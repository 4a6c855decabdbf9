package com.example.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.campaign.Schedule.Kind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short fault campaign that bin/test runs (ADR 0070): three schedules, each with a broker restart and a relay
 * SIGKILL between send and mark, plus in turn a fast and an immediate PostgreSQL shutdown and a relay frozen past
 * its claim hold limit, and random others drawn from the seed. Own PostgreSQL and Kafka (they are restarted).
 * The long form is {@code bin/fault-campaign}.
 */
class FaultCampaignTest {

    /** Fixed, printed by the campaign; schedule i uses SEED + i. */
    private static final long SEED = 14_000;

    @Test
    void shortCampaignFindsNoViolation() throws Exception {
        var summary = FaultCampaign.run(SEED, 3, Duration.ofSeconds(6), List.of(
                List.of(Kind.BROKER_RESTART, Kind.RELAY_KILL_IN_FLIGHT, Kind.POSTGRES_RESTART_IMMEDIATE),
                List.of(Kind.BROKER_RESTART, Kind.RELAY_KILL_IN_FLIGHT, Kind.RELAY_FREEZE),
                List.of(Kind.BROKER_RESTART, Kind.RELAY_KILL_IN_FLIGHT, Kind.POSTGRES_RESTART_FAST)), System.out);

        assertThat(summary.violations()).as("violations (printed above with seed and history)").isZero();
        // The campaign really ran what it claims: faults injected and events checked.
        assertThat(summary.faults()).containsEntry("BROKER_RESTART", 3).containsKeys("POSTGRES_RESTART_IMMEDIATE",
                "POSTGRES_RESTART_FAST", "RELAY_FREEZE", "RELAY_KILL_IN_FLIGHT");
        assertThat(summary.checked().get("201 answers")).isGreaterThan(20);
        assertThat(summary.checked().get("order.created records")).isGreaterThan(20);
        assertThat(summary.checked().get("orders cancelled")).isPositive();
        assertThat(summary.checked().get("dead letters")).isPositive();
    }
}
