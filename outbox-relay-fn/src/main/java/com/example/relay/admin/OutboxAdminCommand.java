package com.example.relay.admin;

import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar outbox-relay-fn.jar COMMAND}: the outbox's operator commands, run from the relay's own jar.
 *
 * <p>It starts the relay's Micronaut context, so it reads the database exactly as the deployed function does:
 * {@code DB_URL}, {@code DB_USERNAME}, {@code DB_PASSWORD} through the function's {@code application.yml}.
 * Exit status: 0 fine, 1 drift found ({@code reconcile}), 2 usage error or an unreachable database.
 */
@Command(name = "outbox-relay-fn.jar", mixinStandardHelpOptions = true,
        description = "Outbox operator commands. The database comes from DB_URL, DB_USERNAME and DB_PASSWORD, as for"
                + " the relay function.",
        subcommands = {OutboxAdminCommand.Stats.class, OutboxAdminCommand.Parked.class,
                OutboxAdminCommand.Requeue.class, OutboxAdminCommand.Reconcile.class})
public final class OutboxAdminCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Parses first, so that --help and usage errors need no database; then runs on the function's context. */
    static int execute(String... args) {
        var parser = new CommandLine(OutboxAdminCommand.class);
        try {
            if (CommandLine.printHelpIfRequested(parser.parseArgs(args))) {
                return 0;
            }
        } catch (ParameterException e) {
            parser.getErr().println(e.getMessage());
            e.getCommandLine().usage(parser.getErr());
            return 2;
        }
        try (ApplicationContext context = ApplicationContext.builder(OutboxAdminCommand.class, Environment.CLI).start()) {
            return new CommandLine(OutboxAdminCommand.class, new MicronautFactory(context)).execute(args);
        } catch (BeanInstantiationException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof ConfigurationException) {
                System.err.println("error: " + cause.getMessage());
                return 2;
            }
            System.err.println("error: cannot open the outbox database (DB_URL, DB_USERNAME, DB_PASSWORD): " + cause.getMessage());
            return 2;
        }
    }

    @Override
    public void run() {
        throw new ParameterException(new CommandLine(this), "Missing command: stats, parked, requeue or reconcile");
    }

    /** The shared part of each subcommand: the function's data source, injected by Micronaut. */
    abstract static class AdminCall implements Callable<Integer> {
        @Inject
        DataSource dataSource;

        OutboxAdmin admin() {
            return new OutboxAdmin(dataSource, System.out);
        }
    }

    @Prototype
    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Backlog, parked rows and relay lag.")
    static class Stats extends AdminCall {
        @Override
        public Integer call() throws Exception {
            return admin().stats();
        }
    }

    @Prototype
    @Command(name = "parked", mixinStandardHelpOptions = true,
            description = "List parked rows: id, created, aggregate, type, attempts, last error.")
    static class Parked extends AdminCall {
        @Parameters(arity = "0..1", paramLabel = "LIMIT", defaultValue = "100", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            return admin().parked(limit);
        }
    }

    @Prototype
    @Command(name = "requeue", mixinStandardHelpOptions = true, description = "Make parked rows pending again (attempts reset).")
    static class Requeue extends AdminCall {
        @Parameters(paramLabel = "ID|all", description = "a parked row's id, or all")
        String target;

        @Override
        public Integer call() throws Exception {
            if ("all".equals(target)) {
                return admin().requeue(OptionalLong.empty());
            }
            try {
                return admin().requeue(OptionalLong.of(Long.parseLong(target)));
            } catch (NumberFormatException e) {
                System.err.println("requeue takes a row id or 'all', not " + target);
                return 2;
            }
        }
    }

    @Prototype
    @Command(name = "reconcile", mixinStandardHelpOptions = true,
            description = "Drift check: orders without their order.created row, rows unpublished too long (CDC mode:"
                    + " the connector's slot missing or unread), order.created rows without their order. Exit 1 on"
                    + " drift. The scheduled job ReconciliationFunction runs the same check.")
    static class Reconcile extends AdminCall {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PENDING_THRESHOLD",
                description = "ISO-8601 duration a row may stay unpublished (default: RECONCILIATION_PENDING_THRESHOLD,"
                        + " 5m as deployed)")
        Duration pendingThreshold;

        @Parameters(index = "1", arity = "0..1", paramLabel = "CHECKABLE_WINDOW",
                description = "ISO-8601 duration: how far back orders are checked; must be shorter than"
                        + " RELAY_RETENTION_AGE (default: RECONCILIATION_CHECKABLE_WINDOW, 6d as deployed)")
        Duration checkableWindow;

        // Defaults to CDC_SLOT, which the scheduled job reads too: run where the job runs, both check the same thing.
        @picocli.CommandLine.Option(names = "--cdc-slot", paramLabel = "SLOT", defaultValue = "${env:CDC_SLOT}",
                description = "CDC mode (ADR 0080): check the connector's replication slot (e.g. outbox_relay) instead"
                        + " of rows pending too long, which stay in the outbox after publication in that mode. Default:"
                        + " the CDC_SLOT environment variable, as for the scheduled job (now: ${DEFAULT-VALUE});"
                        + " --cdc-slot= (empty) checks as for the polling relay")
        String cdcSlot;

        // The job's configuration, the same application.yml keys and environment variables (ADR 0071).
        @Value("${reconciliation.pending-threshold}")
        Duration configuredPendingThreshold;

        @Value("${reconciliation.checkable-window}")
        Duration configuredCheckableWindow;

        @Value("${relay.retention-age}")
        Duration retentionAge;

        @Override
        public Integer call() throws Exception {
            Duration threshold = pendingThreshold != null ? pendingThreshold : configuredPendingThreshold;
            Duration window = checkableWindow != null ? checkableWindow : configuredCheckableWindow;
            var broken = Reconciliation.windowBeyondRetention(window, checkableWindow != null ? "CHECKABLE_WINDOW"
                    : "reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW)", retentionAge,
                    "relay.retention-age (RELAY_RETENTION_AGE)");
            if (broken.isPresent()) {
                System.err.println("error: " + broken.get());
                return 2;
            }
            if (threshold.isNegative() || threshold.isZero()) {
                System.err.println("error: PENDING_THRESHOLD must be above zero, was " + threshold);
                return 2;
            }
            return admin().reconcile(threshold, window, cdcSlot == null || cdcSlot.isBlank() ? null : cdcSlot.strip());
        }
    }
}
