package com.example.outbox.testkit;

import com.example.outbox.ParkedEvent;
import java.time.Duration;
import java.util.List;

/**
 * What a relay implementation provides so that {@link RelayContract} can run it: the SPI of the contract kit.
 *
 * <p>A relay here is anything that moves committed rows of the outbox table ({@code outbox_message}, written by
 * {@code OutboxWriter}) to Kafka: the polling relay ({@code OutboxRelay}) or a change-data-capture connector. The kit
 * writes the rows, drives the failures it can drive itself (stopping the shared Kafka broker), and judges only what a
 * consumer can see: the records on the topic. Failures only the relay can inject (a crash between the broker's ack
 * and the relay's own record of it, a stall while holding work) are hooks implemented here.
 *
 * <p>Every relay must implement {@link #start} and {@link #crashBetweenAckAndMark}. The other hooks return
 * {@link Hook#notApplicable} with a reason when the guarantee does not exist in that form for this relay; the kit
 * then reports the test as not applicable, with that reason, instead of passing it.
 *
 * <p>Each relay must send an outbox row to the topic named by its event type ({@code TopicRoutes.eventTypeIsTopic()})
 * with key = aggregate id, value = payload and the CloudEvents binary headers ({@code ce_id}, ...) plus the row's
 * extra headers; the kit's events carry their sequence number per aggregate in the header {@code x-seq}.
 */
public interface RelayUnderTest {

    /** Shown in reports, e.g. "polling relay". */
    String name();

    /**
     * Starts a relay instance in the background and returns while it runs. It must publish rows committed before and
     * after it started, keep going through broker outages, and stop on {@link RunningRelay#stop()}.
     *
     * @param testbed  the database, broker and topic of the current test
     * @param instance 0 for the first instance a test starts, 1 for the second running beside it, ...; an
     *                 implementation may vary its configuration by instance (the polling relay pipelines some)
     */
    RunningRelay start(OutboxTestbed testbed, int instance) throws Exception;

    /**
     * Runs a relay until the broker has acknowledged at least one of its sends, then kills it before it records that
     * acknowledgement anywhere (the polling relay: before it marks the rows; a CDC connector: before it commits the
     * source offset). Returns once the relay is dead; what it held must be left exactly as a crash leaves it.
     */
    void crashBetweenAckAndMark(OutboxTestbed testbed) throws Exception;

    /**
     * A relay instance that stalls while holding work, longer than the time after which another instance may take
     * that work over, then wakes and carries on (a frozen or timed-out Lambda invocation).
     */
    Hook<Zombie> zombie();

    /** Rows the broker keeps rejecting are set aside (parked) so that other aggregates keep flowing. */
    Hook<Parking> parking();

    /** The relay's record of delivered events and its retention by age. */
    Hook<DeliveryLog> deliveryLog();

    /** Several instances may run at once against one outbox without reordering an aggregate's events. */
    Hook<Concurrency> concurrency();

    interface Zombie {

        /**
         * Starts an instance that stalls right after it took its first work, and returns once it has stalled. It must
         * stall longer than it takes another instance (from {@link RelayUnderTest#start}) to be able to take the work
         * over, then wake and try to carry on.
         */
        RunningRelay startStalled(OutboxTestbed testbed) throws Exception;
    }

    /**
     * The kit's poison is a 1.5 MB record, over the broker's {@code message.max.bytes} (1 MB by default): the relay's
     * producer must let it reach the broker ({@code max.request.size} above that), and its retry limit and backoff
     * must be small enough that parking happens within a few seconds.
     */
    interface Parking {

        /** Parked events, oldest first. */
        List<ParkedEvent> parked() throws Exception;

        /**
         * What an operator does after fixing the cause: replaces the parked row's payload and puts it back in line,
         * where it is published before the rows of its aggregate that waited behind it.
         */
        void repairAndRequeue(ParkedEvent parked, byte[] repairedPayload) throws Exception;
    }

    interface DeliveryLog {

        /** How many events the relay has recorded as delivered and not yet deleted by retention. */
        long recorded() throws Exception;

        /** Test setup: makes every delivery recorded so far look {@code ago} old. */
        void backdateRecorded(Duration ago) throws Exception;

        /**
         * Retention: deletes recorded deliveries older than {@code age}, in batches of at most {@code batchSize}
         * (at least one batch even with a zero budget), starting no batch once {@code budget} is used up; never an
         * event not yet delivered.
         *
         * @return how many entries it deleted
         */
        int deleteOlderThan(Duration age, int batchSize, Duration budget) throws Exception;
    }

    interface Concurrency {

        /** How many instances the ordering test runs at once; at least 3. */
        int instances();
    }
}
