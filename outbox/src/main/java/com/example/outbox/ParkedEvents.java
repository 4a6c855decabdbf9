package com.example.outbox;

import java.sql.SQLException;
import java.util.List;

/**
 * Lists and re-queues parked outbox rows.
 *
 * <p>Contract: re-queueing makes a parked row pending again with its attempt counter reset, so the relay
 * publishes it (and then the aggregate's rows that waited behind it) in the original order.
 */
public interface ParkedEvents {

    /** Parked rows, oldest first. */
    List<ParkedEvent> list(int limit) throws SQLException;

    /** @return 1 if the row was parked and is now pending again, else 0 */
    int requeue(long id) throws SQLException;

    /** @return how many parked rows became pending again */
    int requeueAll() throws SQLException;
}
