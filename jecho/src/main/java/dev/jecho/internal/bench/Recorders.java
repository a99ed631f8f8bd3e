package dev.jecho.internal.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Latency recording without contention: one pair of HdrHistogram {@link SingleWriterRecorder}s per event
 * loop (a connection records only from its own loop), read as interval histograms by the driver once a
 * second. Values are nanoseconds at three significant digits (0.1 % resolution), up to an hour.
 */
final class Recorders {

    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int SIGNIFICANT_DIGITS = 3;

    /** The recorders of one event loop thread. */
    static final class ThreadRecorder {
        private final SingleWriterRecorder uncorrected = new SingleWriterRecorder(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        private final SingleWriterRecorder corrected;
        private Histogram spareUncorrected;
        private Histogram spareCorrected;

        ThreadRecorder(boolean openLoop) {
            this.corrected = openLoop ? new SingleWriterRecorder(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS) : null;
        }

        /**
         * Records one reply: {@code sent} is when the request went out, {@code intended} when it was due
         * (the same in a closed loop), {@code done} when its reply was complete.
         */
        void record(long intended, long sent, long done) {
            uncorrected.recordValue(clamp(done - sent));
            if (corrected != null) {
                corrected.recordValue(clamp(done - intended));
            }
        }

        private static long clamp(long nanos) {
            return Math.max(1, Math.min(HIGHEST_NANOS, nanos));
        }
    }

    /** One interval: the uncorrected latencies, and the corrected ones in open loop (else null). */
    record Sample(Histogram uncorrected, Histogram corrected) {
    }

    private final Map<EventExecutor, ThreadRecorder> byLoop = new IdentityHashMap<>();
    private final Histogram sumUncorrected = newHistogram();
    private final Histogram sumCorrected;

    Recorders(EventLoopGroup group, boolean openLoop) {
        this.sumCorrected = openLoop ? newHistogram() : null;
        for (EventExecutor executor : group) {
            byLoop.put(executor, new ThreadRecorder(openLoop));
        }
    }

    /** The recorder of a channel's event loop; record into it only from that loop. */
    ThreadRecorder of(EventLoop loop) {
        ThreadRecorder r = byLoop.get(loop);
        if (r == null) {
            throw new IllegalStateException("event loop " + loop + " is not part of this run's group");
        }
        return r;
    }

    /**
     * Everything recorded since the last sample. Call from one thread (the driver); the histograms are reused
     * by the next call (so a run makes no garbage a second), so use or copy them before that.
     */
    Sample sample() {
        sumUncorrected.reset();
        if (sumCorrected != null) {
            sumCorrected.reset();
        }
        for (ThreadRecorder r : byLoop.values()) {
            r.spareUncorrected = r.uncorrected.getIntervalHistogram(r.spareUncorrected);
            sumUncorrected.add(r.spareUncorrected);
            if (sumCorrected != null) {
                r.spareCorrected = r.corrected.getIntervalHistogram(r.spareCorrected);
                sumCorrected.add(r.spareCorrected);
            }
        }
        return new Sample(sumUncorrected, sumCorrected);
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }
}
