package com.example.outbox;

import java.sql.SQLException;

/** Reads the backlog size and relay lag. Contract: a read-only query, cheap enough to run once per invocation. */
public interface OutboxStats {

    BacklogStats snapshot() throws SQLException;
}
