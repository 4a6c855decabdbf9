package com.example.outbox;

import java.sql.SQLException;

/**
 * Hands out batches of publishable outbox rows to concurrent relays.
 *
 * <p>Contract: a row is publishable when it is pending, its backoff has passed, and every earlier row of its
 * aggregate is published. Concurrent callers get disjoint batches; none ever gets a row while an earlier row
 * of the same aggregate is held by someone else, in backoff, or parked. So any number of relays, including
 * zombies, can run at once without reordering an aggregate's events.
 */
public interface OutboxClaimer {

    /**
     * @param maxMessages upper bound on the batch size
     * @return a possibly empty batch; the caller must close it
     */
    ClaimedBatch claim(int maxMessages) throws SQLException;
}
