package dev.jecho.internal.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tells UDP losses caused by a server's per-source rate limit (a token bucket, as jecho's {@code --udp-rate}
 * and {@code --udp-burst}) from losses in the network. The bench cannot see the server's configuration;
 * it judges from what it measured, and says "likely". A token bucket leaves three marks that random loss
 * does not:
 * <ul>
 *   <li>a clean start: the bucket's burst is answered without a single loss, far longer than random loss
 *       at the rate seen afterwards allows ({@code answered * lossFraction >= } {@value #CLEAN_START}: by
 *       chance, a probability under e<sup>-6</sup>, 0.25 %);</li>
 *   <li>a ceiling: once losses begin, replies come at a steady rate, every full second of the run after that
 *       within {@value #STEADY_SPREAD} of their median, whatever the bench sends;</li>
 *   <li>below the start: the loss-free start was at least {@value #BELOW_START} times as fast as that steady rate (a
 *       server at its capacity, or full socket buffers, answer no slower after their first loss than before;
 *       a bench on a busy machine may itself be only a little faster than the limit, hence not more).</li>
 * </ul>
 * Late replies (answers after their datagram was given up) point at delay, not drops: more than one in
 * ten losses and there is no verdict. All flows of a run send from one address, so the rates are per source.
 */
final class RateLimitInference {

    /** Losses below this are too few to judge. */
    static final long MIN_LOST = 10;
    static final double CLEAN_START = 6;
    static final double STEADY_SPREAD = 0.4;
    static final double BELOW_START = 1.3;
    /** Intervals shorter than this (the last one of a cancelled run) are not full seconds. */
    private static final double FULL_INTERVAL = 0.9;

    private RateLimitInference() {
    }

    /**
     * @param sent             datagrams sent in the window
     * @param answered         of those, answered
     * @param late             replies that came after their datagram was given up
     * @param answeredBeforeLoss replies, over the flows that lost one, to datagrams sent before each flow's first loss
     * @param sinceFirstSend   seconds from the first datagram of the run to the last flow's first loss
     * @param onsetInWindow    that last first loss, in seconds from the window's start (negative: in the warm-up)
     * @param intervals        the window's seconds, replies in each
     * @param source           the address the flows sent from, or null
     * @return the marks of a rate limit, or null when the losses do not show them
     */
    static RunResult.RateLimit infer(long sent, long answered, long late, long answeredBeforeLoss, double sinceFirstSend,
                                     double onsetInWindow, List<RunResult.IntervalPoint> intervals, String source) {
        long lost = sent - answered;
        if (lost < MIN_LOST || answeredBeforeLoss == 0 || late * 10 > lost) {
            return null;
        }
        double lossFraction = (double) lost / sent;
        if (answeredBeforeLoss * lossFraction < CLEAN_START) {
            return null;
        }
        List<Double> after = new ArrayList<>();
        for (RunResult.IntervalPoint p : intervals) {
            if (p.lengthSeconds() >= FULL_INTERVAL && p.endSeconds() - p.lengthSeconds() >= onsetInWindow) {
                after.add(p.requestsPerSecond());
            }
        }
        if (after.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(after);
        Collections.sort(sorted);
        double steady = sorted.get(sorted.size() / 2);
        if (steady <= 0 || sorted.get(0) < steady * (1 - STEADY_SPREAD) || sorted.get(sorted.size() - 1) > steady * (1 + STEADY_SPREAD)) {
            return null;
        }
        double burst = answeredBeforeLoss / Math.max(sinceFirstSend, 1e-3);
        if (burst < steady * BELOW_START) {
            return null;
        }
        return new RunResult.RateLimit(answeredBeforeLoss, burst, steady, source);
    }
}
