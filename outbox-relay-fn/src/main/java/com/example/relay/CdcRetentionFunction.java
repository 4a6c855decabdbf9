package com.example.relay;

import com.example.outbox.jdbc.CdcOutboxRetention;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's retention while the Debezium CDC relay is the relay (ADR 0082), a third handler in the relay's
 * artifact, deployed and scheduled only in that mode: nobody marks rows then, so published rows stay in
 * {@code outbox_message} until this job deletes the ones older than {@code relay.retention-age} that the connector's
 * replication slot ({@code cdc.slot}) has confirmed ({@link CdcOutboxRetention}). The deletes reach the connector as
 * change events, which its router drops. A slot that does not get there within {@code cdc.retention-budget} (connector
 * down or behind, slot missing) deletes nothing, which is logged and returned, not an error: the slot alarms and the
 * reconciliation job report that state. An unreachable database, or no slot configured, is a function error.
 * Uses only the database: its context lacks {@link OutboxRelayFunction#ENVIRONMENT}, so it creates no Kafka client
 * ({@link PollingRelayOnly}).
 */
public class CdcRetentionFunction extends MicronautRequestHandler<RelayTrigger, CdcRetentionSummary> {

    private static final Logger log = LoggerFactory.getLogger(CdcRetentionFunction.class);

    @Inject
    DataSource dataSource;

    @Inject
    CdcConfiguration cdc;

    @Inject
    RetentionConfiguration retention;

    public CdcRetentionFunction() {
    }

    public CdcRetentionFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    public CdcRetentionSummary execute(RelayTrigger trigger) {
        if (!cdc.cdcMode()) {
            throw new IllegalStateException("CDC retention needs the connector's replication slot (CDC_SLOT); with the"
                    + " polling relay the relay trims its own published log and this job must not run");
        }
        long start = System.nanoTime();
        int deleted;
        try {
            deleted = new CdcOutboxRetention(dataSource, cdc.slot()).deleteCapturedOlderThan(retention.retentionAge(),
                    retention.retentionBatchSize(), cdc.retentionBudget());
        } catch (SQLException e) {
            throw new IllegalStateException("CDC retention could not reach the database: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("CDC retention interrupted", e);
        }
        var summary = new CdcRetentionSummary(deleted, cdc.slot(), retention.retentionAge().toString(),
                (System.nanoTime() - start) / 1_000_000, trigger == null ? "unknown" : trigger.describe());
        log.info("CDC retention: {}", summary);
        return summary;
    }
}
