package com.example.outbox;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The shared "is a relay watching the outbox?" signal (ADR 0014).
 *
 * <p>Protocol. A relay {@link #watch watches} while it drains or idles, extending its lease before it runs out,
 * and {@link #release releases} before it looks at the outbox for the last time. A writer asks
 * {@link #isWatched()} only <em>after</em> its transaction committed. If the answer is yes, the release had not
 * committed when the writer's read began, so the relay's last look (after its release) sees the writer's rows.
 * If the answer is no, the writer wakes a relay. Either way the rows do not wait for the schedule.
 * A relay that dies without releasing leaves a watch that expires after its lease; rows committed meanwhile wait
 * for the next scheduled run (the safety net).
 *
 * <p>All times come from the database's clock.
 */
public interface RelayWatch {

    /**
     * Whether any relay's watch runs past now. One indexed read of a tiny table, no lock.
     *
     * @throws SQLException if the database cannot answer; callers should then wake a relay (it is harmless)
     */
    boolean isWatched() throws SQLException;

    /** Starts or extends {@code relayId}'s watch to now + {@code lease}. */
    void watch(String relayId, Duration lease) throws SQLException;

    /** Ends {@code relayId}'s watch; a relay that is not watching is ignored. */
    void release(String relayId) throws SQLException;
}
