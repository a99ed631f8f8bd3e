package dev.jecho;

import dev.jecho.internal.bench.HtmlReport;
import dev.jecho.internal.bench.JsonReport;
import dev.jecho.internal.bench.Report;
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

    private final Report report;

    BenchReport(Report report) {
        this.report = report;
    }

    /**
     * The summary table, then a line per problem (or "errors: none").
     *
     * @param out where to print it
     */
    public void printTable(PrintStream out) {
        TableReport.print(report, out);
        out.flush();
    }

    /**
     * One JSON document, with units in the field names.
     *
     * @param out where to write it (left open)
     * @throws IOException when writing fails
     */
    public void writeJson(OutputStream out) throws IOException {
        JsonReport.write(report, out);
    }

    /**
     * A self-contained HTML page: percentile curves, throughput over time, the table.
     *
     * @param file the page to write (replaced if it exists)
     * @throws IOException when writing fails
     */
    public void writeHtml(Path file) throws IOException {
        HtmlReport.write(report, file);
    }

    /**
     * Errors of every class in every run (UDP losses are not errors: they are measured).
     *
     * @return their number
     */
    public long errorTotal() {
        return report.results().stream().mapToLong(RunResult::errorTotal).sum();
    }

    /**
     * Connections of {@code hold} runs that did not answer at the end (or never opened).
     *
     * @return their number; 0 without {@code hold} runs
     */
    public long connectionsLostInHold() {
        return report.results().stream().filter(r -> r.hold() != null)
                .mapToLong(r -> r.connections().requested() - r.hold().alive()).sum();
    }

    /**
     * Whether {@link Bench#cancel()} (Ctrl-C) ended the run early.
     *
     * @return true when it did
     */
    public boolean cancelled() {
        return report.cancelled();
    }

    /**
     * The labels of the results, in order ({@code tcp}, {@code unix}, ...).
     *
     * @return one label per run
     */
    public List<String> labels() {
        List<String> labels = new ArrayList<>();
        report.results().forEach(r -> labels.add(r.label()));
        return labels;
    }

    /**
     * The report's first line: what ran, with what check, transport and threads (or what was merged).
     *
     * @return the title
     */
    public String title() {
        return report.title();
    }

    /**
     * When the first run started.
     *
     * @return milliseconds since the epoch
     */
    public long startedAtMs() {
        return report.startedAtMs();
    }

    /**
     * Whether this report merges interval logs ({@link Bench#merge}) rather than reporting a run.
     *
     * @return true for a merge
     */
    public boolean merged() {
        return report.merged();
    }

    /**
     * The interval logs a merge read.
     *
     * @return their file names; empty for a run
     */
    public List<String> sources() {
        return report.sources();
    }
}
