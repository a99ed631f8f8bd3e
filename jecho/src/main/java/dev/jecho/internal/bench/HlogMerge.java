package dev.jecho.internal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jecho.BenchException;
import dev.jecho.internal.files.FileErrors;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code jecho bench merge}: several {@code --hlog} files (one per load machine, run at the same time)
 * become one report. For each label, the histograms of every file are added (percentiles of the combined
 * load, not averages of percentiles); throughput is summed per wall-clock second; counts from each run's
 * {@code #jecho-result} line (bytes, errors, UDP, hold) are summed. Plain HdrHistogram logs from other
 * tools merge too, by tag (untagged intervals under the file's name), with latencies only.
 */
public final class HlogMerge {

    private static final class Label {
        final String name;
        String mode = "rr";
        String description;
        ObjectNode config;
        boolean configFromResult;
        final Set<String> urls = new LinkedHashSet<>();
        final Histogram uncorrected = Recorders.newHistogram();
        Histogram corrected;
        final TreeMap<Long, Long> perSecond = new TreeMap<>();
        long firstMs = Long.MAX_VALUE;
        long lastMs = Long.MIN_VALUE;
        long bytes;
        final long[] errors = new long[ErrorClass.values().length];
        long requested;
        long established;
        long failed;
        long reopened;
        double setup;
        String firstFailure;
        boolean udp;
        long sent;
        long answered;
        long duplicates;
        long reordered;
        long late;
        boolean tagged = true;
        boolean hold;
        long opened;
        long probed;
        long alive;

        Label(String name) {
            this.name = name;
        }
    }

    private HlogMerge() {
    }

    public static Report merge(List<Path> files) throws BenchException {
        if (files.isEmpty()) {
            throw new BenchException(BenchException.Reason.IO, "no interval logs to merge (give one or more files written with --hlog)");
        }
        Map<String, Label> labels = new LinkedHashMap<>();
        Map<String, Path> modeSource = new LinkedHashMap<>();
        for (Path file : files) {
            readComments(file, labels, modeSource);
            readHistograms(file, labels);
        }
        if (labels.values().stream().allMatch(l -> l.uncorrected.getTotalCount() == 0 && l.perSecond.isEmpty())) {
            throw new BenchException(BenchException.Reason.IO, "no interval histograms in " + names(files)
                    + " (were they written with --hlog?)");
        }
        List<RunResult> results = new ArrayList<>();
        long startedAt = Long.MAX_VALUE;
        for (Label l : labels.values()) {
            if (l.firstMs == Long.MAX_VALUE) {
                continue;
            }
            results.add(result(l));
            startedAt = Math.min(startedAt, l.firstMs);
        }
        RunResult first = results.get(0);
        String title = "jecho bench merge of " + files.size() + (files.size() == 1 ? " log: " : " logs: ")
                + (first.description() != null ? first.description() : first.label());
        List<String> sources = new ArrayList<>();
        files.forEach(f -> sources.add(f.toString()));
        return new Report(title, startedAt, results, true, sources, false);
    }

    private static String names(List<Path> files) {
        return files.size() == 1 ? files.get(0).toString() : files.size() + " files";
    }

    /** The {@code #jecho-run} and {@code #jecho-result} lines: what each run was and what it counted. */
    private static void readComments(Path file, Map<String, Label> labels, Map<String, Path> modeSource)
            throws BenchException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null && number++ < 10_000_000) {
                if (line.startsWith("#" + IntervalLog.RUN)) {
                    JsonNode run = parse(file, line.substring(1 + IntervalLog.RUN.length()));
                    Label l = labels.computeIfAbsent(run.path("label").asText("untagged"), Label::new);
                    String mode = run.path("mode").asText("rr");
                    if (l.config != null && !l.mode.equals(mode)) {
                        throw new BenchException(BenchException.Reason.IO, "cannot merge '" + l.name + "': "
                                + modeSource.get(l.name) + " ran " + l.mode + ", " + file + " ran " + mode);
                    }
                    modeSource.putIfAbsent(l.name, file);
                    l.mode = mode;
                    if (!l.configFromResult) {
                        l.description = run.path("description").asText(null);
                    }
                    if (l.config == null && run instanceof ObjectNode o) {
                        l.config = o;
                    }
                    l.urls.add(run.path("url").asText());
                } else if (line.startsWith("#" + IntervalLog.RESULT)) {
                    add(labels, parse(file, line.substring(1 + IntervalLog.RESULT.length())));
                }
            }
        } catch (IOException e) {
            throw new BenchException(BenchException.Reason.IO, FileErrors.cannot("read", file, e), e);
        }
    }

    private static JsonNode parse(Path file, String json) throws BenchException {
        try {
            return JsonReport.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new BenchException(BenchException.Reason.IO, file + " has a damaged jecho comment line: " + e.getMessage(), e);
        }
    }

    private static void add(Map<String, Label> labels, JsonNode r) {
        Label l = labels.computeIfAbsent(r.path("label").asText("untagged"), Label::new);
        // the first result's workload names the check the run applied (with --check auto, the one it
        // detected), which the run line, written before the run, cannot
        if (!l.configFromResult && r.path("config") instanceof ObjectNode config) {
            l.configFromResult = true;
            l.config = config;
            l.description = config.path("description").asText(l.description);
        }
        l.bytes += r.path("bytes").asLong();
        for (ErrorClass kind : ErrorClass.values()) {
            l.errors[kind.ordinal()] += r.path("errors").path(kind.key()).asLong();
        }
        JsonNode c = r.path("connections");
        l.requested += c.path("requested").asLong();
        l.established += c.path("established").asLong();
        l.failed += c.path("failed").asLong();
        l.reopened += c.path("reopened").asLong();
        l.setup = Math.max(l.setup, c.path("setup_s").asDouble());
        if (l.firstFailure == null && c.path("first_failure").isTextual()) {
            l.firstFailure = c.path("first_failure").asText();
        }
        JsonNode udp = r.path("udp");
        if (udp.isObject()) {
            l.udp = true;
            l.sent += udp.path("sent").asLong();
            l.answered += udp.path("answered").asLong();
            l.duplicates += udp.path("duplicates").asLong();
            l.reordered += udp.path("reordered").asLong();
            l.late += udp.path("late").asLong();
            l.tagged &= udp.path("sequence_tagged").asBoolean();
        }
        JsonNode hold = r.path("hold");
        if (hold.isObject()) {
            l.hold = true;
            l.opened += hold.path("opened").asLong();
            l.probed += hold.path("probed").asLong();
            l.alive += hold.path("alive").asLong();
        }
    }

    private static void readHistograms(Path file, Map<String, Label> labels) throws BenchException {
        String fallback = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
            HistogramLogReader reader = new HistogramLogReader(in);
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if (!(e instanceof Histogram h)) {
                    throw new BenchException(BenchException.Reason.IO, file + " holds floating-point histograms, not latencies");
                }
                String tag = h.getTag() != null ? h.getTag() : fallback;
                boolean corrected = tag.endsWith(IntervalLog.CORRECTED_SUFFIX);
                String name = corrected ? tag.substring(0, tag.length() - IntervalLog.CORRECTED_SUFFIX.length()) : tag;
                Label l = labels.computeIfAbsent(name, Label::new);
                if (corrected) {
                    if (l.corrected == null) {
                        l.corrected = Recorders.newHistogram();
                    }
                    l.corrected.add(h);
                    continue;
                }
                l.uncorrected.add(h);
                l.firstMs = Math.min(l.firstMs, h.getStartTimeStamp());
                l.lastMs = Math.max(l.lastMs, h.getEndTimeStamp());
                l.perSecond.merge(h.getStartTimeStamp() / 1000, h.getTotalCount(), Long::sum);
            }
        } catch (BenchException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BenchException(BenchException.Reason.IO, file + " is not an HdrHistogram interval log ("
                    + e.getMessage() + ")", e);
        }
    }

    private static RunResult result(Label l) {
        double seconds = Math.max(0.001, (l.lastMs - l.firstMs) / 1000.0);
        long requests = l.uncorrected.getTotalCount();
        double bytesPerRequest = requests == 0 ? 0 : (double) l.bytes / requests;
        List<RunResult.IntervalPoint> intervals = new ArrayList<>();
        long firstSecond = l.firstMs / 1000;
        for (Map.Entry<Long, Long> e : l.perSecond.entrySet()) {
            double end = (e.getKey() + 1 - firstSecond);
            intervals.add(new RunResult.IntervalPoint(end, 1.0, e.getValue(), Math.round(e.getValue() * bytesPerRequest)));
        }
        ObjectNode config = l.config != null ? l.config : JsonReport.MAPPER.createObjectNode().put("label", l.name);
        return new RunResult(l.name, String.join(",", l.urls), l.mode, l.description, config, l.firstMs, seconds,
                requests, l.bytes, l.uncorrected, l.corrected, l.errors.clone(),
                new RunResult.Connections(l.requested, l.established, l.failed, l.reopened, l.setup, l.firstFailure),
                l.udp ? new RunResult.Datagrams(l.sent, l.answered, l.duplicates, l.reordered, l.late, l.tagged, null) : null,
                l.hold ? new RunResult.Hold(l.opened, l.probed, l.alive) : null, intervals);
    }
}
