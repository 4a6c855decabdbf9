package com.example.outbox;

import java.sql.SQLException;
import java.util.List;

/**
 * Outbox rows that one relay holds exclusively while it publishes them.
 *
 * <p>Contract:
 * <ul>
 *   <li>While the batch is open no other relay can claim its rows, nor any later row of the same aggregates.</li>
 *   <li>It holds at most one row per aggregate, and that row is the aggregate's oldest unpublished row: so
 *       whatever happens to the batch, no aggregate's events can be published out of order.</li>
 *   <li>The claim is bounded in time: if the holder stalls past the claim's hold limit, the database ends
 *       its session and the rows become claimable again. {@link #verifyStillHeld()} tells whether that
 *       happened; a holder that lost its claim can no longer change any row.</li>
 *   <li>{@link #complete} records every result and releases the rows atomically; {@link #close()} without
 *       completing releases them unchanged, as if never claimed (a crash has the same effect).</li>
 * </ul>
 */
public interface ClaimedBatch extends AutoCloseable {

    /** The claimed rows in id order; at most one per aggregate. */
    List<PendingMessage> messages();

    /**
     * Rows this claim found unreadable (content that cannot become a message, such as {@code headers} that are not
     * a JSON object of strings) and parked at once with the reason, already committed; they are not in
     * {@link #messages()}. Their aggregates wait behind them like behind any parked row.
     */
    default int parkedAtClaim() {
        return 0;
    }

    default boolean isEmpty() {
        return messages().isEmpty();
    }

    /**
     * Checks that the claim is still held; call it right before sending.
     *
     * @throws ClaimLostException if the claim expired (for example the holder was frozen past the hold limit)
     */
    void verifyStillHeld() throws ClaimLostException;

    /**
     * Marks acknowledged rows published, schedules retries with backoff, parks rows over the attempt limit,
     * and commits, all or nothing.
     *
     * @param results one per message of this batch, as the {@link MessagePublisher} returned them
     * @return how many rows reached the attempt limit and were parked. Every other result that is not
     *         {@link PublishResult#acked() acked} was put back for a retry. Only this number is returned because it
     *         is the only one the results cannot tell (the attempt limit is the claimer's): published, retried and
     *         transient counts are counted from {@code results} by the caller.
     * @throws ClaimLostException if the claim expired before this could commit; nothing was recorded
     */
    int complete(List<PublishResult> results) throws SQLException;

    /** Releases the rows unchanged if {@link #complete} was not called (or failed). */
    @Override
    void close();
}
