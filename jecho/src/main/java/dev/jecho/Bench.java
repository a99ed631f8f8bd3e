package dev.jecho;

import dev.jecho.internal.bench.Cancellation;
import dev.jecho.internal.bench.CheckPhrase;
import dev.jecho.internal.bench.HlogMerge;
import dev.jecho.internal.bench.IntervalLog;
import dev.jecho.internal.bench.LoadRun;
import dev.jecho.internal.bench.Report;
import dev.jecho.internal.bench.RunResult;
import dev.jecho.internal.bench.Summaries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code jecho bench} as a library: runs workloads against echo servers and reports what it measured.
 *
 * <pre>{@code
 * BenchConfig tcp = BenchConfig.builder(Endpoint.parse("127.0.0.1:8888")).connections(10).build();
 * BenchReport report = new Bench().run(List.of(tcp), System.err::println, null);
 * report.printTable(System.out);
 * }</pre>
 *
 * Several configurations run one after the other (that is {@code --compare}) and make one report.
 */
public final class Bench {

    private final Cancellation cancellation = new Cancellation();

    /**
     * Runs each workload in turn.
     *
     * @param configs the workloads, in order (more than one: a comparison, as {@code --compare})
     * @param live  receives a progress line each second (null: none)
     * @param hlog  where to write an HdrHistogram interval log (null: none)
     * @return what the runs measured, one result per workload
     * @throws BenchException when a server cannot be reached (nothing connected) or the log cannot be written
     */
    public BenchReport run(List<BenchConfig> configs, Consumer<String> live, Path hlog) throws BenchException {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("nothing to run");
        }
        long startedAt = System.currentTimeMillis();
        List<RunResult> results = new ArrayList<>();
        IntervalLog log = null;
        try {
            if (hlog != null) {
                log = IntervalLog.open(hlog);
            }
            for (BenchConfig config : configs) {
                if (cancellation.cancelled()) {
                    break;
                }
                results.add(new LoadRun(config, live, log, cancellation).run());
            }
        } catch (IOException e) {
            throw new BenchException(BenchException.Reason.IO, e.getMessage(), e);
        } finally {
            if (log != null) {
                log.close();
            }
        }
        if (log != null && log.failed()) {
            throw new BenchException(BenchException.Reason.IO, "writing " + hlog + " failed (disk full?)");
        }
        BenchConfig first = configs.get(0);
        String transport = LoadRun.transportFor(first).kind().cliName();
        int threads = first.effectiveThreads();
        String title = "jecho bench: " + Summaries.describe(first, checkPhrase(first, results)) + "; " + transport + ", " + threads
                + (threads == 1 ? " thread" : " threads") + (cancellation.cancelled() ? " (interrupted)" : "");
        return new BenchReport(new Report(title, startedAt, results, false, List.of(), cancellation.cancelled()));
    }

    /**
     * The check the title names: the runs' own (with --check auto, what each detected) when they agree,
     * else that each run detected its own (the table's lines say which).
     */
    private static String checkPhrase(BenchConfig first, List<RunResult> results) {
        Set<String> phrases = new LinkedHashSet<>();
        results.forEach(r -> phrases.add(r.checkPhrase()));
        if (phrases.size() == 1) {
            return phrases.iterator().next();
        }
        return phrases.isEmpty() ? CheckPhrase.of(first, null, false) : "auto (detected per run)";
    }

    /** Ends the current run now (its figures so far are reported) and skips the ones after it. */
    public void cancel() {
        cancellation.cancel();
    }

    /**
     * Combines interval logs written with {@code --hlog} on several load machines (at the same time) into
     * one report: histograms of one label are added, throughput is summed second by second.
     *
     * @param logs the interval logs
     * @return the merged report
     * @throws BenchException when a log cannot be read, or the logs hold different workloads under one label
     */
    public static BenchReport merge(List<Path> logs) throws BenchException {
        Objects.requireNonNull(logs, "logs");
        return new BenchReport(HlogMerge.merge(logs));
    }
}
