package dev.jecho.internal.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jecho.internal.files.FileErrors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an HdrHistogram interval log ({@code --hlog FILE}): one histogram per second of each run,
 * readable by HdrHistogram's own tools (HistogramLogProcessor, the online plotter) and by
 * {@code jecho bench merge}. Each run's latencies are tagged with its label ({@code tcp}); in open loop
 * the corrected ones also appear under {@code LABEL-corrected}. Comment lines carry what the histograms
 * cannot: {@code #jecho-run {...}} (the workload) before a run's intervals and {@code #jecho-result {...}}
 * (counts, errors, UDP and hold figures) after them. Timestamps are absolute, so logs from several load
 * machines line up when their clocks agree (NTP).
 */
public final class IntervalLog implements Closeable {

    static final String RUN = "jecho-run ";
    static final String RESULT = "jecho-result ";
    static final String CORRECTED_SUFFIX = "-corrected";

    private final PrintStream out;
    private final HistogramLogWriter writer;

    private IntervalLog(PrintStream out, long startMs) {
        this.out = out;
        this.writer = new HistogramLogWriter(out);
        writer.outputComment("jecho bench interval log: latencies in nanoseconds; combine logs with 'jecho bench merge FILE...'");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMs);
        writer.setBaseTime(startMs);
        writer.outputBaseTime(startMs);
        writer.outputLegend();
    }

    public static IntervalLog open(Path file) throws IOException {
        try {
            return new IntervalLog(new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8), System.currentTimeMillis());
        } catch (IOException e) {
            throw new IOException(FileErrors.cannot("write", file, e), e);
        }
    }

    void runStarts(ObjectNode config) {
        writer.outputComment(RUN + config);
    }

    void interval(String label, Histogram uncorrected, Histogram corrected, long startMs, long endMs) {
        write(label, uncorrected, startMs, endMs);
        if (corrected != null) {
            write(label + CORRECTED_SUFFIX, corrected, startMs, endMs);
        }
    }

    private void write(String tag, Histogram h, long startMs, long endMs) {
        h.setTag(tag);
        h.setStartTimeStamp(startMs);
        h.setEndTimeStamp(endMs);
        writer.outputIntervalHistogram(h);
        h.setTag(null);
    }

    void runEnds(ObjectNode result) {
        writer.outputComment(RESULT + result);
        out.flush();
    }

    public boolean failed() {
        return out.checkError();
    }

    @Override
    public void close() {
        writer.close();
    }
}
