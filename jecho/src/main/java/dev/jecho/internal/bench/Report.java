package dev.jecho.internal.bench;

import java.util.List;

/**
 * What a {@code BenchReport} holds: one result per run (per transport with {@code --compare}), or per label
 * after {@code bench merge}; the table, JSON and HTML writers read it.
 *
 * @param title       the first line of the table: what ran, or what was merged
 * @param startedAtMs when the first run started (epoch milliseconds)
 * @param merged      true for {@code bench merge} of interval logs
 * @param sources     the merged logs' file names (empty for a run)
 * @param cancelled   true when Ctrl-C ended the run early
 */
public record Report(String title, long startedAtMs, List<RunResult> results, boolean merged, List<String> sources,
                     boolean cancelled) {

    public Report {
        results = List.copyOf(results);
        sources = List.copyOf(sources);
    }

    /** The version the reports name: the jar's, or "development" from a build directory. */
    public static String jechoVersion() {
        String v = Report.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
