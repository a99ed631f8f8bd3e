package dev.jecho.internal.bench;

/**
 * The open-loop schedule of one connection: request {@code k} is due at {@code origin + k * interval},
 * whether or not the server kept up. A request sent late is still measured from when it was due, so a
 * stall shows in the latency of every request it delayed (coordinated omission corrected, as wrk2 does).
 */
final class Pacer {

    private final double intervalNanos;
    private final long origin;
    private long k;

    Pacer(double intervalNanos, long originNanos) {
        this.intervalNanos = intervalNanos;
        this.origin = originNanos;
    }

    /** When the next request is due. */
    long nextDue() {
        return origin + (long) (k * intervalNanos);
    }

    /** Takes the next request off the schedule; returns when it was due. */
    long take() {
        long due = nextDue();
        k++;
        return due;
    }
}
