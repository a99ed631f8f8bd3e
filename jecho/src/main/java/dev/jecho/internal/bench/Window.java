package dev.jecho.internal.bench;

/**
 * The measurement window of a run, shared by every connection: a request counts when it was sent (or due,
 * in open loop) at or after {@link #start} and its reply came before {@link #end}, as the C load generator
 * counts. Both are {@code Long.MAX_VALUE} until the warm-up is scheduled; {@link #stopped} ends the load.
 */
final class Window {

    private volatile long start = Long.MAX_VALUE;
    private volatile long end = Long.MAX_VALUE;
    private volatile boolean stopped;

    void open(long startNanos, long endNanos) {
        end = endNanos;
        start = startNanos;
    }

    long start() {
        return start;
    }

    long end() {
        return end;
    }

    boolean counts(long sentNanos, long doneNanos) {
        return sentNanos >= start && doneNanos < end;
    }

    /** True when requests are still to be sent: not stopped and before the end. */
    boolean running(long nowNanos) {
        return !stopped && nowNanos < end;
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }
}
