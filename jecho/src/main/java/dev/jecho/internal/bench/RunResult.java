package dev.jecho.internal.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jecho.BenchConfig;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The outcome of one workload against one endpoint (or, from {@code bench merge}, of one label across
 * several load machines). Latencies are nanoseconds.
 *
 * @param label        the run's name: its transport for {@code --compare} ({@code tcp}, {@code unix}, {@code udp})
 * @param url          the endpoint it ran against (several, comma-separated, after a merge)
 * @param mode         {@code rr}, {@code bulk}, {@code connect} or {@code hold}
 * @param description  the workload in one line
 * @param config       the workload's settings, as they go into the JSON document
 * @param startedAtMs  wall-clock start of the measurement window (epoch milliseconds)
 * @param seconds      length of the measurement window
 * @param uncorrected  latency from the actual send of each request
 * @param corrected    latency from the time each request was due (open loop only, else null)
 * @param intervals    one point per second of the window
 */
public record RunResult(String label, String url, String mode, String description, ObjectNode config,
                 long startedAtMs, double seconds, long requests, long bytes,
                 Histogram uncorrected, Histogram corrected, long[] errors,
                 Connections connections, Datagrams datagrams, Hold hold, List<IntervalPoint> intervals) {

    /**
     * How the connections fared: asked for, opened at the start, failed at the start, reopened or opened later;
     * and what the first failed attempt (connect, TLS or handshake) was, in one line, or null.
     */
    public record Connections(long requested, long established, long failed, long reopened, double setupSeconds,
                       String firstFailure) {
    }

    /**
     * UDP accounting over datagrams sent inside the window; {@code tagged} says whether replies carried sequence
     * numbers; {@code likelyRateLimit} what points at the server's per-source rate limit as the cause of the
     * losses, or null when nothing does.
     */
    public record Datagrams(long sent, long answered, long duplicates, long reordered, long late, boolean tagged,
                     RateLimit likelyRateLimit) {
        long lost() {
            return Math.max(0, sent - answered);
        }

        double lossPercent() {
            return sent == 0 ? 0 : 100.0 * lost() / sent;
        }
    }

    /**
     * Losses that look like a server's per-source rate limit (see {@link RateLimitInference}): the flows got
     * {@code answeredBeforeLoss} replies without a loss, at {@code burstPerSecond} at least, then replies held at
     * a steady {@code steadyPerSecond}, all from {@code source} (null if unknown).
     */
    public record RateLimit(long answeredBeforeLoss, double burstPerSecond, double steadyPerSecond, String source) {
    }

    /** {@code hold} mode: connections that answered at the start, how many were checked at the end, and answered again. */
    public record Hold(long opened, long probed, long alive) {
    }

    /** One second of the window: its end (seconds from the window's start), length, replies and reply bytes. */
    public record IntervalPoint(double endSeconds, double lengthSeconds, long requests, long bytes) {
        double requestsPerSecond() {
            return lengthSeconds > 0 ? requests / lengthSeconds : 0;
        }

        double bytesPerSecond() {
            return lengthSeconds > 0 ? bytes / lengthSeconds : 0;
        }
    }

    double requestsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }

    double bytesPerSecond() {
        return seconds > 0 ? bytes / seconds : 0;
    }

    long errors(ErrorClass kind) {
        return errors[kind.ordinal()];
    }

    public long errorTotal() {
        long total = 0;
        for (long e : errors) {
            total += e;
        }
        return total;
    }

    /**
     * What replies were checked against, as the summary says it ({@code upper}, {@code echo (detected)},
     * {@code auto (undecided)}), from the config's {@code check} and {@code check_detected}; null if unknown.
     */
    public String checkPhrase() {
        String check = config.path("check").asText(null);
        if (check == null) {
            return null;
        }
        if (check.equals(BenchConfig.Check.AUTO.cliName())) {
            return Summaries.checkPhrase(BenchConfig.Check.AUTO, null);
        }
        return config.path("check_detected").asBoolean(false) ? check + " (detected)" : check;
    }

    /** The latency people should read first: corrected in open loop, else the measured one. */
    Histogram primaryLatency() {
        return corrected != null ? corrected : uncorrected;
    }
}
