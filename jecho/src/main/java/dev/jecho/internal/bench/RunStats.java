package dev.jecho.internal.bench;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one run, written by every event loop and read by the driver once a second. Latencies
 * are in {@link Recorders}; these are the counts around them.
 */
final class RunStats {

    /** Replies received in any phase (the live line shows throughput during the warm-up too). */
    final LongAdder completed = new LongAdder();
    /** Reply bytes received inside the measurement window (bulk: echoed bytes). */
    final LongAdder bytes = new LongAdder();
    /** Bulk: echoed bytes in any phase, for the live line (upload: accepted bytes; download: read bytes). */
    final LongAdder transferred = new LongAdder();
    /** Upload and download: chunks accepted, reads made, inside the measurement window (they have no latencies). */
    final LongAdder counted = new LongAdder();
    private final LongAdder[] errors = new LongAdder[ErrorClass.values().length];

    final LongAdder established = new LongAdder();
    /** Connections whose first attempt failed (setup is over when established + failedFirst = connections). */
    final LongAdder failedFirst = new LongAdder();
    /** Connections opened in {@code connect} mode, or reopened after an error. */
    final LongAdder opened = new LongAdder();

    // UDP accounting, datagrams sent inside the window only
    final LongAdder datagramsSent = new LongAdder();
    final LongAdder datagramsAnswered = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder reordered = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder outstanding = new LongAdder();
    // UDP: where losses began, in any phase, to tell a server's rate limit from the network (RateLimitInference)
    /** When the first flow sent its first datagram. */
    final LongAccumulator firstSendAt = new LongAccumulator(Math::min, Long.MAX_VALUE);
    /** The latest of the flows' first given-up datagrams' send times. */
    final LongAccumulator lastLossOnset = new LongAccumulator(Math::max, Long.MIN_VALUE);
    /** Over the flows that lost a datagram: replies to datagrams sent before each flow's first loss. */
    final LongAdder answeredBeforeLoss = new LongAdder();

    // hold mode
    final LongAdder aliveAtEnd = new LongAdder();
    final LongAdder probed = new LongAdder();

    RunStats() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    /** A UDP flow gave up its first datagram, sent at {@code sentAt}, after replies to {@code answeredBefore} earlier ones. */
    void lossBegan(long sentAt, long answeredBefore) {
        lastLossOnset.accumulate(sentAt);
        answeredBeforeLoss.add(answeredBefore);
    }

    void error(ErrorClass kind) {
        errors[kind.ordinal()].increment();
    }

    long errors(ErrorClass kind) {
        return errors[kind.ordinal()].sum();
    }

    long errorTotal() {
        long total = 0;
        for (LongAdder e : errors) {
            total += e.sum();
        }
        return total;
    }
}
