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
        // A short grace: the test's slot is never read, waiting the default 20 s proves nothing more.
        return new OutboxAdmin(ds, out).reconcile(pendingThreshold, window, slot, Duration.ofMillis(300));
    }
}
