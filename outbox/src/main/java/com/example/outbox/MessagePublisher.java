package com.example.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Sends claimed messages to the broker and says, per message, whether the broker acknowledged it.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #publish} returns only when every message is either acknowledged durably (for Kafka:
 *       {@code acks=all}) or has definitely failed; it returns one result per message, in input order.</li>
 *   <li>A message reported {@link PublishResult.Outcome#ACKED} is on the broker; anything else may or may not
 *       be (a timed-out send can still have landed), so the relay retries it: delivery is at least once.</li>
 *   <li>Messages are sent in list order. The relay never hands over two messages of one aggregate in the same
 *       call, so a failure of one message can never let a later message of its aggregate overtake it.</li>
 *   <li>It never throws for a per-message failure; it throws only if it cannot work at all (then the whole
 *       batch is retried).</li>
 * </ul>
 */
public interface MessagePublisher extends AutoCloseable {

    List<PublishResult> publish(List<PendingMessage> messages);

    /**
     * Starts publishing and returns without waiting for the broker, so the relay can prepare the next batch
     * meanwhile; {@link InFlight#await()} then returns exactly what {@link #publish} would have. Same ordering
     * contract: messages are handed to the broker in list order, before this method returns.
     * The default waits here (a publisher with no asynchronous mode is still correct, just not overlapped).
     */
    default InFlight send(List<PendingMessage> messages) {
        List<PublishResult> results = publish(messages);
        return () -> results;
    }

    /** Messages handed to the broker whose acknowledgements may still be outstanding. */
    @FunctionalInterface
    interface InFlight {

        /** Blocks until every message is acknowledged or definitely failed; one result per message, in input order. */
        List<PublishResult> await();

        /**
         * Like {@link #await()}, but gives up after {@code timeout}: the relay then abandons the batch unmarked (its
         * rows are sent again later), so a publisher should also stop delivering what is still outstanding if it can.
         * The default cannot bound the wait and simply calls {@link #await()}.
         *
         * @throws TimeoutException if some message was neither acknowledged nor definitely failed in time
         */
        default List<PublishResult> await(Duration timeout) throws TimeoutException {
            return await();
        }
    }

    @Override
    void close();
}
