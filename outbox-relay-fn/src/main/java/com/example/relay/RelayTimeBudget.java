package com.example.relay;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Duration;

/**
 * The rules that tie the relay's time settings to its producer's timeouts (ADR 0015), checked at start-up. One
 * batch's publish can take {@code max.block.ms + delivery.timeout.ms} ({@link ProducerConfiguration#oneBatch()}):
 * <ul>
 *   <li>{@code relay.claim-hold-limit} must exceed it, or a send still retrying inside the producer could land after
 *       PostgreSQL ended the claim and another relay took the rows over (out of order);</li>
 *   <li>{@code relay.min-time-budget} must cover {@code max.block.ms}, which no acknowledgement deadline can cut
 *       short;</li>
 *   <li>{@code relay.max-duration} (what Terraform sets to the Lambda timeout; the run length without a Lambda context)
 *       must hold {@code relay.safety-margin} plus one batch, as the infra check {@code RelayTimeBudgetCheck} demands
 *       of the deployed timeout.</li>
 * </ul>
 * The safety margin itself may be shorter than one batch (tests use 2 s): batches then have their acknowledgement
 * waits cut, and rows not acknowledged in time are sent again, never lost. The deployment is held to the stricter
 * rules by {@code RelayTimeBudgetCheck}.
 */
@Context
@Requires(property = "relay.batch-size") // only in this function's context, not in another's sharing a test class path
final class RelayTimeBudget {

    RelayTimeBudget(RelayConfiguration relay, ProducerConfiguration producer) {
        Duration oneBatch = producer.oneBatch();
        String batch = "one batch (relay.producer.max-block-ms + delivery-timeout-ms, RELAY_KAFKA_MAX_BLOCK_MS +"
                + " RELAY_KAFKA_DELIVERY_TIMEOUT_MS = " + oneBatch.toMillis() + " ms)";
        new ConfigurationRules()
                .require(relay.claimHoldLimit().compareTo(oneBatch) > 0, "relay.claim-hold-limit (RELAY_CLAIM_HOLD_LIMIT)"
                        + " = " + relay.claimHoldLimit().toMillis() + " ms must exceed " + batch)
                .require(relay.minTimeBudget().compareTo(producer.maxBlock()) >= 0, "relay.min-time-budget"
                        + " (RELAY_MIN_TIME_BUDGET) = " + relay.minTimeBudget().toMillis() + " ms must cover"
                        + " relay.producer.max-block-ms (RELAY_KAFKA_MAX_BLOCK_MS) = " + producer.maxBlockMs() + " ms")
                .require(relay.maxDuration().compareTo(relay.safetyMargin().plus(oneBatch)) >= 0, "relay.max-duration"
                        + " (RELAY_MAX_DURATION, the Lambda timeout) = " + relay.maxDuration().toMillis() + " ms must hold"
                        + " relay.safety-margin (RELAY_SAFETY_MARGIN) = " + relay.safetyMargin().toMillis() + " ms plus "
                        + batch)
                .check("relay time budget");
    }
}
