package com.example.relay;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Which relay empties the outbox, as this jar's jobs need to know it, {@code cdc.*} in application.yml (ADR 0082).
 * Blank {@code slot}: the polling relay (Terraform's {@code relay_mode = "lambda"}); a slot name: the Debezium CDC
 * relay reads the outbox through that logical replication slot ({@code relay_mode = "msk_connect"}, the
 * connector's {@code slot.name}), so the reconciliation job checks the slot instead of row age and the CDC retention
 * job may run.
 *
 * @param slot            the connector's replication slot ({@code CDC_SLOT}); blank or a PostgreSQL slot name: 1 to
 *                        63 lower-case letters, digits and underscores (PostgreSQL refuses anything else)
 * @param retentionBudget how long one CDC retention run may wait for the slot to confirm its candidates
 *                        ({@code CDC_RETENTION_BUDGET}); above 0. It must cover the connector's offset commit interval
 *                        plus its heartbeat interval, or a run on a quiet outbox deletes nothing
 * @throws io.micronaut.context.exceptions.ConfigurationException at start-up, naming every broken rule
 */
@Context
@Requires(property = "cdc.retention-budget") // only in this jar's context, not in another's sharing a class path
@ConfigurationProperties("cdc")
record CdcConfiguration(String slot, Duration retentionBudget) {

    /** PostgreSQL's rule for replication slot names (ReplicationSlotValidateName), at most NAMEDATALEN - 1 bytes. */
    static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    CdcConfiguration {
        slot = slot == null ? "" : slot.strip();
        new ConfigurationRules()
                .require(slot.isEmpty() || SLOT_NAME.matcher(slot).matches(), "cdc.slot (CDC_SLOT) must be empty (the"
                        + " polling relay) or a replication slot name of 1-63 lower-case letters, digits and"
                        + " underscores, was \"" + slot + "\"")
                .positive(retentionBudget, "cdc.retention-budget (CDC_RETENTION_BUDGET)")
                .check("CDC");
    }

    /** Whether the CDC relay is the relay (a slot is configured). */
    boolean cdcMode() {
        return !slot.isEmpty();
    }

    /** The slot, or {@code null} with the polling relay ({@code Reconciliation}'s convention). */
    String slotOrNull() {
        return cdcMode() ? slot : null;
    }
}
