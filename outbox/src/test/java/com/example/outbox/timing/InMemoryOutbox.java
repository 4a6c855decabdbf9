package com.example.outbox.timing;

import com.example.outbox.ClaimedBatch;
import com.example.outbox.OutboxClaimer;
import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An outbox in memory, one row per aggregate, for tests of the relay loop's arithmetic (sizes, waits, stop
 * decisions) that depend on no server. What it promises about rows is proven against PostgreSQL elsewhere.
 */
final class InMemoryOutbox implements OutboxClaimer {

    final Deque<PendingMessage> pending = new ArrayDeque<>();
    final List<Integer> claimSizes = new ArrayList<>();
    long published;
    int released;
    private long nextId = 1;

    InMemoryOutbox add(int rows) {
        for (int i = 0; i < rows; i++) {
            long id = nextId++;
            pending.add(new PendingMessage(id, new OutboxMessage(UUID.randomUUID(), "test", "agg-" + id, "t",
                    "/timing", "application/json", Instant.EPOCH, "{}".getBytes(StandardCharsets.UTF_8), Map.of()), 0));
        }
        return this;
    }

    @Override
    public ClaimedBatch claim(int maxMessages) {
        claimSizes.add(maxMessages);
        List<PendingMessage> batch = new ArrayList<>();
        while (batch.size() < maxMessages && !pending.isEmpty()) {
            batch.add(pending.poll());
        }
        return new ClaimedBatch() {
            boolean completed;

            @Override
            public List<PendingMessage> messages() {
                return batch;
            }

            @Override
            public void verifyStillHeld() {
            }

            @Override
            public int complete(List<PublishResult> results) {
                int acked = 0;
                var failed = new ArrayList<PendingMessage>();
                for (PublishResult r : results) {
                    if (r.acked()) {
                        acked++;
                    } else {
                        failed.add(r.message());
                    }
                }
                for (int i = failed.size() - 1; i >= 0; i--) {
                    pending.addFirst(failed.get(i));
                }
                published += acked;
                completed = true;
                return 0; // every failure is retried: this outbox never parks
            }

            @Override
            public void close() {
                if (!completed && !batch.isEmpty()) {
                    released += batch.size();
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        pending.addFirst(batch.get(i));
                    }
                    completed = true;
                }
            }
        };
    }
}
