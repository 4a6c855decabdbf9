package com.example.campaign;

import com.example.servers.DataDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/fault-campaign [--schedules N] [--seed S] [--duration SECONDS]}: runs randomized schedules of clients,
 * relays, a consumer and faults against real PostgreSQL and Kafka, checks each one, and prints a summary. Exit
 * status 1 if any schedule broke a guarantee (each violation printed with its seed and a minimal history). ADR 0070.
 */
@Command(name = "fault-campaign", mixinStandardHelpOptions = true,
        description = {"Randomized fault campaign against real PostgreSQL and Kafka (ADR 0070): concurrent create-order"
                + " clients (some reusing Idempotency-Keys), two or more relay processes, the cancel consumer behind"
                + " the event source mapping emulation; broker and PostgreSQL restarts, relay SIGKILL (also between"
                + " send and mark) and SIGSTOP past the claim hold limit, lost and repeated consumer deliveries."
                + " After each schedule a checker compares the database with every topic.",
                "Exit status 1 if any schedule broke a guarantee. Schedule i uses seed S+i:"
                        + " --seed <printed seed> --schedules 1 replays one."})
public final class FaultCampaign implements Callable<Integer> {

    @Option(names = "--schedules", defaultValue = "200", description = "schedules to run (default: ${DEFAULT-VALUE})")
    int schedules;

    @Option(names = "--seed", description = "seed of the first schedule (default: random, printed)")
    Long seed;

    @Option(names = "--duration", defaultValue = "6", description = "seconds of load and faults per schedule (default: ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--always", split = ",", paramLabel = "KIND",
            description = "fault kinds every schedule contains, besides the random ones: ${COMPLETION-CANDIDATES}")
    List<Schedule.Kind> always = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaultCampaign()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (schedules < 1 || duration < 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--schedules must be >= 1 and --duration >= 2");
        }
        long first = seed != null ? seed : new java.security.SecureRandom().nextLong() & 0xffffffffL;
        return run(first, schedules, Duration.ofSeconds(duration), List.of(always), System.out).violations() == 0 ? 0 : 1;
    }

    /** Totals of a campaign. */
    record Summary(int schedules, int violations, Map<String, Integer> faults, Map<String, Long> checked) {
    }

    /**
     * Runs {@code count} schedules with seeds {@code firstSeed, firstSeed+1, ...}; schedule i contains the fault kinds
     * {@code mustInclude.get(i % size)} besides its random ones. Prints one line per schedule, every violation with
     * its history, and the totals.
     */
    static Summary run(long firstSeed, int count, Duration load, List<List<Schedule.Kind>> mustInclude, PrintStream out)
            throws Exception {
        out.printf("Fault campaign: %d schedule(s) of %d s, seeds %d..%d (replay one: --seed <seed> --schedules 1)%n",
                count, load.toSeconds(), firstSeed, firstSeed + count - 1);
        Path workDir = Files.createTempDirectory("fault-campaign");
        Map<String, Integer> faults = new TreeMap<>();
        Map<String, Long> checked = new TreeMap<>();
        int violations = 0;
        List<Long> failedSeeds = new ArrayList<>();
        long started = System.nanoTime();
        // The in-process functions log (JSON lines, EMF metrics) to standard output: into a file, not between our lines.
        PrintStream stdout = System.out;
        Path functionLog = workDir.resolve("functions.log");
        System.setOut(new PrintStream(Files.newOutputStream(functionLog), true));
        try (Cluster cluster = Cluster.start(workDir)) {
            out.printf("PostgreSQL %s, Kafka %s, relay claim hold limit %d s; work directory %s%n",
                    cluster.postgres.jdbcUrl(), cluster.kafka.bootstrapServers(), Cluster.CLAIM_HOLD_LIMIT_SECONDS, workDir);
            var delivery = new FaultyDelivery(cluster.consumer);
            for (int i = 0; i < count; i++) {
                var schedule = Schedule.generate(firstSeed + i, load, mustInclude.get(i % mustInclude.size()));
                var result = new ScheduleRun(cluster, schedule, delivery).run();
                result.injected().forEach((kind, n) -> faults.merge(kind.name(), n, Integer::sum));
                faults.merge("RELAY_KILL_IN_FLIGHT confirmed between send and mark", result.killsBetweenSendAndMark(), Integer::sum);
                result.consumerFaults().forEach((kind, n) -> faults.merge("consumer: " + kind, n, Integer::sum));
                var c = result.counts();
                if (c != null) {
                    checked.merge("orders in the database", (long) c.orders(), Long::sum);
                    checked.merge("201 answers", (long) c.acknowledged(), Long::sum);
                    checked.merge("order.created records", (long) c.createdRecords(), Long::sum);
                    checked.merge("order.cancelled inputs", (long) c.inputs(), Long::sum);
                    checked.merge("orders cancelled", (long) c.cancelledOrders(), Long::sum);
                    checked.merge("dead letters", (long) c.deadLetterRecords(), Long::sum);
                }
                result.statuses().forEach((status, n) -> checked.merge("answers with status " + status, (long) n, Long::sum));
                out.printf("schedule %d/%d seed %d: %s; %s -> %s (%.1f s)%n", i + 1, count, schedule.seed(),
                        injectedText(result.injected(), result.killsBetweenSendAndMark()), countsText(c),
                        result.violations().isEmpty() ? "OK" : result.violations().size() + " VIOLATION(S)",
                        result.took().toMillis() / 1000.0);
                if (!result.violations().isEmpty()) {
                    violations += result.violations().size();
                    failedSeeds.add(schedule.seed());
                    printViolation(out, result);
                }
                out.flush();
            }
        } finally {
            System.out.close();
            System.setOut(stdout);
            DataDirectory.delete(workDir);
        }
        out.printf("%nCampaign: %d schedule(s), seeds %d..%d, %.0f s%n", count, firstSeed, firstSeed + count - 1,
                (System.nanoTime() - started) / 1e9);
        out.println("Faults injected:");
        faults.forEach((k, v) -> out.printf("  %-55s %d%n", k, v));
        out.println("Checked:");
        checked.forEach((k, v) -> out.printf("  %-55s %d%n", k, v));
        out.printf("Violations: %d%s%n", violations, failedSeeds.isEmpty() ? "" : " (seeds " + failedSeeds + ")");
        return new Summary(count, violations, faults, checked);
    }

    private static void printViolation(PrintStream out, ScheduleRun.Result result) {
        out.println("  VIOLATION in schedule with seed " + result.schedule().seed() + "; replay: bin/fault-campaign --seed "
                + result.schedule().seed() + " --schedules 1 --duration " + result.schedule().load().toSeconds());
        out.println("  " + result.schedule().describe());
        result.violations().stream().limit(20).forEach(v -> out.println("  - " + v));
        if (result.violations().size() > 20) {
            out.println("  - ... " + (result.violations().size() - 20) + " more");
        }
        out.println("  history (faults and lines about the ids above):");
        List<String> lines = result.history();
        lines.stream().limit(60).forEach(l -> out.println("    " + l));
        if (lines.size() > 60) {
            out.println("    ... " + (lines.size() - 60) + " more lines");
        }
    }

    private static String injectedText(Map<Schedule.Kind, Integer> injected, int inFlight) {
        var parts = new ArrayList<String>();
        new EnumMap<>(injected).forEach((k, n) -> parts.add(k.name().toLowerCase().replace('_', '-')
                + (n > 1 ? " x" + n : "") + (k == Schedule.Kind.RELAY_KILL_IN_FLIGHT && inFlight > 0 ? " (between send and mark)" : "")));
        return parts.isEmpty() ? "no faults" : String.join(", ", parts);
    }

    private static String countsText(Checker.Counts c) {
        if (c == null) {
            return "not checked";
        }
        return String.format("%d orders (%d acknowledged), %d order.created, %d inputs, %d cancelled, %d dead letters",
                c.orders(), c.acknowledged(), c.createdRecords(), c.inputs(), c.cancelledOrders(), c.deadLetterRecords());
    }
}
