package com.example.relay.admin;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** Test access to the package-private admin commands. */
public final class OutboxAdminAccess {

    private OutboxAdminAccess() {
    }

    public static int reconcile(DataSource ds, PrintStream out, Duration pendingThreshold, Duration window) throws SQLException {
        return new OutboxAdmin(ds, out).reconcile(pendingThreshold, window);
    }

    public static int reconcileCdc(DataSource ds, PrintStream out, Duration pendingThreshold, Duration window,
            String slot) throws SQLException {
        return new OutboxAdmin(ds, out).reconcile(pendingThreshold, window, slot);
    }
}
