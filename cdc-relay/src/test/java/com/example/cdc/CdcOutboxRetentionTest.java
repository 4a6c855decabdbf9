package com.example.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.outbox.jdbc.CdcOutboxRetention;
import com.example.outbox.testkit.OutboxTestbed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * CDC-mode retention deletes only rows older than the age that the connector's slot has confirmed; the deletes
 * publish nothing (the router drops them); with the connector stopped, nothing is deleted at all.
 */
class CdcOutboxRetentionTest {

    @Test
    void deletesOnlyOldRowsTheSlotHasPassedAndPublishesNothing() throws Exception {
        try (var relayUnderTest = new CdcRelayUnderTest()) {
            var testbed = new OutboxTestbed();
            var retention = new CdcOutboxRetention(OutboxTestbed.dataSource(), relayUnderTest.slot.name);
            testbed.append(testbed.interleaved(10, 30));
            backdate(Duration.ofDays(8));
            testbed.append(testbed.interleaved(10, 30, 2)); // recent rows

            assertThat(retention.deleteCapturedOlderThan(Duration.ofDays(7), 100, Duration.ofMillis(300)))
                    .as("connector not running: the slot has not confirmed the rows, nothing is deleted").isZero();
            assertThat(rows()).isEqualTo(320);

            try (var relay = relayUnderTest.slot.start()) {
                testbed.awaitDelivered(320, Duration.ofSeconds(60));
                // The slot confirms only as far as the connector has read: Debezium confirms the commit position of
                // the last transaction it completed before the latest one. So writers keep committing meanwhile.
                var deleting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return retention.deleteCapturedOlderThan(Duration.ofDays(7), 100, Duration.ofSeconds(30));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                String ticker = testbed.aggregate("ticker");
                int ticks = 0;
                while (!deleting.isDone()) {
                    testbed.append(List.of(testbed.event(ticker, ticks++)));
                    Thread.sleep(100);
                }
                assertThat(deleting.get()).as("old rows the slot confirmed, in batches of 100").isEqualTo(300);
                assertThat(rows()).as("recent rows stay").isEqualTo(20 + ticks);

                testbed.append(testbed.interleaved(10, 32, 1));
                int events = 320 + ticks + 10;
                var records = testbed.awaitDelivered(events, Duration.ofSeconds(60));
                assertThat(records).as("the deletes and the backdating updates published nothing").hasSize(events);
                var byAggregate = OutboxTestbed.firstDeliveriesByAggregate(records);
                for (int a = 0; a < 10; a++) {
                    assertThat(byAggregate.get(testbed.aggregate(Integer.toString(a))))
                            .isEqualTo(IntStream.range(0, 33).boxed().toList());
                }
                assertThat(byAggregate.get(ticker)).isEqualTo(IntStream.range(0, ticks).boxed().toList());
            }
        }
    }

    private static void backdate(Duration ago) throws Exception {
        try (var c = OutboxTestbed.dataSource().getConnection();
                var s = c.prepareStatement("update outbox_message set created_at = now() - ?::interval")) {
            s.setString(1, ago.toSeconds() + " seconds");
            s.executeUpdate();
        }
    }

    private static long rows() throws Exception {
        try (var c = OutboxTestbed.dataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from outbox_message")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
