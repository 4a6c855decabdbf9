package com.example.outbox.testkit;

import org.junit.jupiter.api.Test;

/** The polling relay ({@code OutboxRelay}) passes the contract kit. */
class PollingRelayContractTest extends RelayContract {

    @Override
    protected RelayUnderTest relayUnderTest() {
        return new PollingRelay();
    }

    /** A pipelining relay dies with two batches sent and none marked: both are sent again, in order. */
    @Test
    void crashWithTwoBatchesInFlightLosesNothing() throws Exception {
        var relay = new PollingRelay();
        crashBetweenAckAndMarkScenario(relay, testbed -> relay.crashBetweenAckAndMark(testbed, 2, 10));
    }
}
