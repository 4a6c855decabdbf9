package com.example.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds; percentiles by nearest rank. Not thread-safe: one per client thread, then merged. */
final class Latencies {

    private long[] samples = new long[1 << 14];
    private int size;

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        var all = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.size; i++) {
                all.add(part.samples[i]);
            }
        }
        Arrays.sort(all.samples, 0, all.size);
        return all;
    }

    /** The q-quantile (0..1) in milliseconds of a merged (sorted) set; NaN when empty. */
    double percentileMillis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * size) - 1;
        return samples[Math.max(0, Math.min(size - 1, rank))] / 1e6;
    }

    double meanMillis() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += samples[i];
        }
        return sum / size / 1e6;
    }
}
