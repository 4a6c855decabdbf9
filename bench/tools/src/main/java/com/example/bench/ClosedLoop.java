package com.example.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** N client threads, each sending its next request as soon as the previous one answered, for a fixed time. */
final class ClosedLoop {

    /** One request of client {@code client} (0..N-1); returns normally on success, throws on failure. */
    @FunctionalInterface
    interface Request {
        void send(int client) throws Exception;
    }

    /** @param opsPerSecond successful requests per second; latencies of successful requests only */
    record Result(double opsPerSecond, Latencies latencies, long errors, String firstError) {
    }

    private ClosedLoop() {
    }

    static Result run(int clients, double seconds, Request request) throws InterruptedException {
        List<Latencies> perClient = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        String[] firstError = new String[1];
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            var latencies = new Latencies();
            perClient.add(latencies);
            int client = c;
            threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                try {
                    start.await();
                    long end = window[1];
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        try {
                            request.send(client);
                            latencies.add(System.nanoTime() - t0);
                        } catch (Exception e) {
                            if (errors.getAndIncrement() == 0) {
                                firstError[0] = e.toString();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }));
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        start.countDown();
        done.await();
        long elapsed = System.nanoTime() - window[0];
        for (Thread t : threads) {
            t.join();
        }
        Latencies all = Latencies.merge(perClient);
        return new Result(all.count() / (elapsed / 1e9), all, errors.get(), firstError[0]);
    }
}
