package com.example.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.RelayRun;
import com.example.outbox.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentRelaysKeepOrderTest {

    @Test
    void threeRelaysDrainTenThousandEventsOverFiveHundredAggregatesInOrderWithNothingMissing() throws Exception {
        var fixture = new RelayFixture();
        int aggregates = 500;
        int perAggregate = 20;
        fixture.append(fixture.interleaved(aggregates, perAggregate));

        var pool = Executors.newFixedThreadPool(3);
        var runs = new ArrayList<Future<RelayRun>>();
        for (int i = 0; i < 3; i++) {
            // Mixed: two relays pipeline (next batch claimed and sent while the previous awaits its acks), one does not.
            int batchesInFlight = i < 2 ? 2 : 1;
            Callable<RelayRun> relay = () -> {
                try (var publisher = fixture.publisher()) {
                    return fixture.relay(publisher, RetryPolicy.defaults(),
                                    RelayFixture.settings(Duration.ofSeconds(1)).withBatchesInFlight(batchesInFlight))
                            .drain(RelayFixture.budget(Duration.ofMinutes(2)));
                }
            };
            runs.add(pool.submit(relay));
        }
        long published = 0;
        long relaysThatPublished = 0;
        for (var run : runs) {
            long p = run.get().published();
            published += p;
            relaysThatPublished += p > 0 ? 1 : 0;
        }
        pool.shutdown();

        assertThat(published).isEqualTo(aggregates * perAggregate);
        assertThat(relaysThatPublished).as("the relays really shared the work").isGreaterThan(1);
        assertThat(fixture.count("true")).as("nothing left unpublished").isZero();
        assertThat(fixture.publishedCount()).isEqualTo(aggregates * perAggregate);
        var records = fixture.consume(aggregates * perAggregate, Duration.ofSeconds(60));
        assertThat(records).hasSize(aggregates * perAggregate);
        RelayFixture.assertCompleteAndOrdered(records, aggregates, perAggregate);
    }
}
