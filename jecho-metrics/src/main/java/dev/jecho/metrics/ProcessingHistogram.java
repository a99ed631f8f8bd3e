package dev.jecho.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram that costs a division and two adder increments per observation:
 * bucket {@code i} holds durations up to 2<sup>i</sup> microseconds (1 µs to about 1 s), the last one
 * the rest.
 */
final class ProcessingHistogram {

    static final int BOUNDED_BUCKETS = 21;
    private static final double[] UPPER_BOUNDS_SECONDS = new double[BOUNDED_BUCKETS + 1];

    static {
        for (int i = 0; i < BOUNDED_BUCKETS; i++) {
            UPPER_BOUNDS_SECONDS[i] = (1L << i) / 1e6;
        }
        UPPER_BOUNDS_SECONDS[BOUNDED_BUCKETS] = Double.POSITIVE_INFINITY;
    }

    private final LongAdder[] counts = new LongAdder[BOUNDED_BUCKETS + 1];
    private final LongAdder sumNanos = new LongAdder();

    ProcessingHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        counts[bucketOf(nanos)].increment();
        sumNanos.add(nanos);
    }

    /** The smallest i with nanos <= 2^i microseconds; BOUNDED_BUCKETS for anything longer. */
    static int bucketOf(long nanos) {
        if (nanos <= 1000) {
            return 0;
        }
        long micros = (nanos + 999) / 1000;
        int i = 64 - Long.numberOfLeadingZeros(micros - 1);
        return Math.min(i, BOUNDED_BUCKETS);
    }

    /** Per-bucket (not cumulative) counts, as the Prometheus model wants them. */
    ClassicHistogramBuckets buckets() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return ClassicHistogramBuckets.of(UPPER_BOUNDS_SECONDS, c);
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
