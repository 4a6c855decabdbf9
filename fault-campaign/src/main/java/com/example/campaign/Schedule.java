package com.example.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * One schedule, entirely determined by its seed: how many clients and relays, how often clients reuse an
 * {@code Idempotency-Key}, what the cancellation publisher sends, how the event source mapping misbehaves, and which
 * faults strike when. Timings of the real servers and processes are not replayable; the decisions are.
 *
 * @param seed            the seed everything below is drawn from ({@code --seed seed --schedules 1} replays it)
 * @param load            how long clients and faults run
 * @param clients         concurrent create-order clients
 * @param relays          relay processes kept running
 * @param keyedShare      share of requests that carry an Idempotency-Key
 * @param replayShare     share of keyed requests sent again (sequentially or concurrently) after their first answer
 * @param duplicateInput  share of cancellation inputs published twice (same ce_id)
 * @param poisonInput     share of cancellation inputs that are poison
 * @param lostResponse    share of consumer invocations whose response is lost (the batch is applied, then redelivered)
 * @param droppedDelivery share of consumer invocations that never reach the function (the batch is redelivered)
 * @param redelivery      share of consumer invocations delivered a second time right after a success
 * @param faults          faults, in order of their start
 */
record Schedule(long seed, Duration load, int clients, int relays, double keyedShare, double replayShare,
        double duplicateInput, double poisonInput, double lostResponse, double droppedDelivery, double redelivery,
        List<Fault> faults) {

    enum Kind {
        BROKER_RESTART, POSTGRES_RESTART_FAST, POSTGRES_RESTART_IMMEDIATE, RELAY_KILL, RELAY_KILL_IN_FLIGHT, RELAY_FREEZE
    }

    /**
     * A fault: starts {@code at} after the load begins; {@code length} is the outage, or the freeze, or the pause
     * before a killed relay is replaced.
     */
    record Fault(Duration at, Kind kind, Duration length) {
        @Override
        public String toString() {
            return String.format("+%.1fs %s %.1fs", at.toMillis() / 1000.0, kind, length.toMillis() / 1000.0);
        }
    }

    /**
     * Draws a schedule. {@code mustInclude} (may be empty) are fault kinds the schedule is guaranteed to contain, e.g.
     * so that each schedule of the short campaign has a broker restart.
     */
    static Schedule generate(long seed, Duration load, List<Kind> mustInclude) {
        var random = new Random(seed);
        int clients = 2 + random.nextInt(3);
        int relays = 2 + random.nextInt(2);
        long loadMs = load.toMillis();
        int count = 2 + random.nextInt(3);
        List<Kind> kinds = new ArrayList<>(mustInclude);
        while (kinds.size() < count) {
            kinds.add(Kind.values()[random.nextInt(Kind.values().length)]);
        }
        List<Fault> faults = new ArrayList<>();
        for (Kind kind : kinds) {
            long at = (long) (loadMs * (0.1 + 0.7 * random.nextDouble()));
            long length = switch (kind) {
                case BROKER_RESTART -> 500 + random.nextInt(3000);
                case POSTGRES_RESTART_FAST, POSTGRES_RESTART_IMMEDIATE -> random.nextInt(2500);
                case RELAY_KILL, RELAY_KILL_IN_FLIGHT -> random.nextInt(2000);
                // Past the claim hold limit, so that another relay takes the claim over while this one is frozen.
                case RELAY_FREEZE -> Cluster.CLAIM_HOLD_LIMIT_SECONDS * 1000L + 500 + random.nextInt(2500);
            };
            faults.add(new Fault(Duration.ofMillis(at), kind, Duration.ofMillis(length)));
        }
        faults.sort(Comparator.comparing(Fault::at));
        return new Schedule(seed, load, clients, relays, 0.3 + 0.4 * random.nextDouble(), 0.2 + 0.3 * random.nextDouble(),
                0.1 + 0.2 * random.nextDouble(), 0.1 + 0.2 * random.nextDouble(), 0.1 * random.nextDouble(),
                0.1 * random.nextDouble(), 0.15 * random.nextDouble(), List.copyOf(faults));
    }

    String describe() {
        return String.format("seed %d: load %.0fs, %d clients, %d relays, keyed %.0f%% (replayed %.0f%%), cancellations"
                        + " duplicated %.0f%% poison %.0f%%, consumer: lost responses %.0f%% dropped %.0f%% redelivered %.0f%%;"
                        + " faults %s",
                seed, load.toMillis() / 1000.0, clients, relays, keyedShare * 100, replayShare * 100, duplicateInput * 100,
                poisonInput * 100, lostResponse * 100, droppedDelivery * 100, redelivery * 100, faults);
    }
}
