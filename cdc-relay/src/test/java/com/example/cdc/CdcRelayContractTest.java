package com.example.cdc;

import static com.example.outbox.testkit.OutboxTestbed.assertCompleteAndOrdered;

import com.example.outbox.testkit.OutboxTestbed;
import com.example.outbox.testkit.RelayContract;
import com.example.outbox.testkit.RelayUnderTest;
import com.example.servers.SharedServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CDC relay passes the outbox contract kit; where a guarantee differs, its hook says why (docs/guarantees.md). */
class CdcRelayContractTest extends RelayContract {

    private static final Logger log = LoggerFactory.getLogger(CdcRelayContractTest.class);
    private final List<CdcRelayUnderTest> created = new ArrayList<>();

    @Override
    protected RelayUnderTest relayUnderTest() {
        try {
            var relay = new CdcRelayUnderTest();
            created.add(relay);
            return relay;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void dropSlots() throws Exception {
        for (var relay : created) {
            relay.close();
        }
    }

    /**
     * No loss across a PostgreSQL restart: the replication slot survives it, and the connector resumes from its
     * committed position (at or after the slot's restart LSN), re-sending at most what it had not committed.
     */
    @Test
    void noLossAcrossAPostgresRestart() throws Exception {
        var relay = relayUnderTest();
        var testbed = new OutboxTestbed();
        int aggregates = 50;
        testbed.append(testbed.interleaved(aggregates, 10));
        try (var running = relay.start(testbed, 0)) {
            testbed.awaitDelivered(1, Duration.ofSeconds(30));
            var postgres = SharedServers.postgres();
            postgres.stop();
            log.info("PostgreSQL stopped while the CDC relay streams");
            Thread.sleep(1000);
            postgres.start();
            log.info("PostgreSQL started again");
            testbed.append(testbed.interleaved(aggregates, 10, 2));
            var records = testbed.awaitDelivered(aggregates * 12, Duration.ofSeconds(120));
            running.stop();
            assertCompleteAndOrdered(records, aggregates, 12);
        }
    }
}
