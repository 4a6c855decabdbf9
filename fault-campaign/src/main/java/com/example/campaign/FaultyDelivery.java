package com.example.campaign;

import com.example.local.LambdaFunction;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event source mapping's delivery to the consumer, with the faults a real mapping has: a response lost after the
 * function applied the batch (timeout, network), so the batch comes again; an invocation that never reached the
 * function (throttled), so the batch comes again; and a batch delivered twice although the first succeeded. Lambda's
 * mapping is at least once: it never skips a record, so this never drops one for good.
 */
final class FaultyDelivery implements LambdaFunction {

    private final LambdaFunction function;
    private volatile Schedule schedule;
    private volatile History history;
    private volatile Random random = new Random(0);
    final AtomicInteger lostResponses = new AtomicInteger();
    final AtomicInteger droppedDeliveries = new AtomicInteger();
    final AtomicInteger redeliveries = new AtomicInteger();

    FaultyDelivery(LambdaFunction function) {
        this.function = function;
    }

    /** The next schedule's probabilities and history (the mapping outlives schedules). */
    void use(Schedule schedule, History history) {
        this.random = new Random(schedule.seed() * 13 + 7);
        this.history = history;
        this.schedule = schedule;
        lostResponses.set(0);
        droppedDeliveries.set(0);
        redeliveries.set(0);
    }

    @Override
    public String name() {
        return function.name();
    }

    @Override
    public byte[] invoke(byte[] eventJson) throws FunctionError {
        Schedule s = schedule;
        double draw;
        synchronized (this) {
            draw = random.nextDouble();
        }
        if (s != null && draw < s.droppedDelivery()) {
            droppedDeliveries.incrementAndGet();
            history.add("CONSUMER delivery dropped before the function (batch will be redelivered)");
            throw new FunctionError("campaign: delivery dropped", "{\"errorMessage\":\"throttled\"}", null);
        }
        byte[] response = function.invoke(eventJson);
        if (s != null && draw < s.droppedDelivery() + s.lostResponse()) {
            lostResponses.incrementAndGet();
            history.add("CONSUMER response lost after the function ran (batch will be redelivered)");
            throw new FunctionError("campaign: response lost", "{\"errorMessage\":\"timed out\"}", null);
        }
        if (s != null && draw < s.droppedDelivery() + s.lostResponse() + s.redelivery()) {
            redeliveries.incrementAndGet();
            history.add("CONSUMER batch delivered twice");
            response = function.invoke(eventJson);
        }
        return response;
    }
}
