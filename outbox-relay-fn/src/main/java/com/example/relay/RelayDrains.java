package com.example.relay;

import com.example.outbox.OutboxRelay;

/**
 * The relay's three ways to drain, differing only in how long they keep watching an empty outbox (ADR 0014).
 *
 * @param afterWakeUp a run started by a writer's wake-up (or anything but the schedule): idles {@code relay.idle-limit},
 *                    so a burst of orders is served by one run instead of one wake-up each
 * @param onSchedule  the scheduled safety-net run: idles {@code relay.scheduled-idle-limit} (0 by default), so an
 *                    idle deployment costs a few seconds of relay time an hour
 * @param lastLook    the one claim after the watch is released: returns as soon as the outbox is empty
 */
record RelayDrains(OutboxRelay afterWakeUp, OutboxRelay onSchedule, OutboxRelay lastLook) {
}
