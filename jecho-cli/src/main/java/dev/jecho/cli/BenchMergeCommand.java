package dev.jecho.cli;

import dev.jecho.Bench;
import dev.jecho.BenchException;
import dev.jecho.BenchReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jecho bench merge}: one report from the interval logs of several load machines. */
@Command(name = "merge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Combines the interval logs of several load machines into one report.",
                "Each machine runs 'jecho bench --hlog FILE' at the same time. The HdrHistograms of each run label"
                        + " are added (the percentiles of the whole load, not averages of percentiles) and throughput"
                        + " is summed second by second (the machines' clocks should agree, e.g. by NTP). Errors, UDP"
                        + " and hold counts are summed.",
        },
        footer = {
                "%nExample:",
                "  machine A: jecho bench 10.0.0.5:8888 -c 500 -d 60s --hlog a.hlog",
                "  machine B: jecho bench 10.0.0.5:8888 -c 500 -d 60s --hlog b.hlog",
                "  then:      jecho bench merge a.hlog b.hlog --html load.html",
                ExitCodes.HELP_FOOTER,
        })
final class BenchMergeCommand implements Callable<Integer> {

    private final Io io;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Interval logs written with --hlog.")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON document instead of the table.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report.")
    Path html;

    BenchMergeCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws BenchException, IOException {
        BenchReport report = Bench.merge(files);
        return BenchOutput.print(report, io, json, html);
    }
}
