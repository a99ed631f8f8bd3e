package dev.jecho;

import dev.jecho.internal.bench.HtmlReport;
import dev.jecho.internal.bench.JsonReport;
import dev.jecho.internal.bench.RunResult;
import dev.jecho.internal.bench.TableReport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code jecho bench} found: one result per run (per transport with {@code --compare}), or per label
 * after {@code bench merge}. It prints itself as a table, a JSON document or an HTML page.
 */
public final class BenchReport {

    private final String title;
    private final long startedAtMs;
    private final List<RunResult> results;
    private final boolean merged;
    private final List<String> sources;
    private final boolean cancelled;

    public BenchReport(String title, long startedAtMs, List<RunResult> results, boolean merged, List<String> sources,
                boolean cancelled) {
        this.title = title;
        this.startedAtMs = startedAtMs;
        this.results = List.copyOf(results);
        this.merged = merged;
        this.sources = List.copyOf(sources);
        this.cancelled = cancelled;
    }

    /** The summary table, then a line per problem (or "errors: none"). */
    public void printTable(PrintStream out) {
        TableReport.print(this, out);
        out.flush();
    }

    /** One JSON document, with units in the field names. */
    public void writeJson(OutputStream out) throws IOException {
        JsonReport.write(this, out);
    }

    /** A self-contained HTML page: percentile curves, throughput over time, the table. */
    public void writeHtml(Path file) throws IOException {
        HtmlReport.write(this, file);
    }

    /** Errors of every class in every run (UDP losses are not errors: they are measured). */
    public long errorTotal() {
        return results.stream().mapToLong(RunResult::errorTotal).sum();
    }

    /** Connections of {@code hold} runs that did not answer at the end (or never opened). */
    public long connectionsLostInHold() {
        return results.stream().filter(r -> r.hold() != null)
                .mapToLong(r -> r.connections().requested() - r.hold().alive()).sum();
    }

    /** True when Ctrl-C ended the run early. */
    public boolean cancelled() {
        return cancelled;
    }

    /** The labels of the results, in order ({@code tcp}, {@code unix}, ...). */
    public List<String> labels() {
        List<String> labels = new ArrayList<>();
        results.forEach(r -> labels.add(r.label()));
        return labels;
    }

    public String title() {
        return title;
    }

    public long startedAtMs() {
        return startedAtMs;
    }

    public List<RunResult> results() {
        return results;
    }

    public boolean merged() {
        return merged;
    }

    public List<String> sources() {
        return sources;
    }

    public static String jechoVersion() {
        String v = BenchReport.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
