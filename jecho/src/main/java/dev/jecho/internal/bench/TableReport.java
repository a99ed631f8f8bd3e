package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.ServerConfig;
import dev.jecho.Service;
import dev.jecho.internal.service.ServiceRegistry;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary table printed at the end: one row per run (per transport with {@code --compare}), two in
 * open loop (latency corrected for coordinated omission, and uncorrected), then a line for each thing that
 * went wrong (errors by class, UDP loss, connections that did not survive a hold).
 */
public final class TableReport {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private TableReport() {
    }

    public static void print(Report report, PrintStream out) {
        List<RunResult> results = report.results();
        if (results.isEmpty()) {
            out.println("no results");
            return;
        }
        RunResult first = results.get(0);
        out.println(report.title());
        out.println();
        boolean openLoop = results.stream().anyMatch(r -> r.corrected() != null);
        String unit = switch (first.mode()) {
            case "bulk", "upload" -> "chunks";
            case "download" -> "reads";
            case "connect" -> "conn";
            case "hold" -> "exchanges";
            default -> "req";
        };
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("", first.mode().equals("rr") ? "requests" : unit, unit + "/s", "MB/s"));
        if (openLoop) {
            header.add("latency");
        }
        for (double p : PERCENTILES) {
            header.add(percentileName(p));
        }
        header.add("max");
        header.add("errors");
        rows.add(header.toArray(new String[0]));
        for (RunResult r : results) {
            boolean hold = r.hold() != null;
            List<String> row = new ArrayList<>(List.of(r.label(), String.valueOf(r.requests()),
                    hold ? "-" : Units.count(r.requestsPerSecond()), hold ? "-" : Units.megabytesPerSecond(r.bytesPerSecond())));
            if (openLoop) {
                row.add(r.corrected() != null ? "corrected" : "");
            }
            addLatencies(row, r.primaryLatency());
            row.add(String.valueOf(r.errorTotal()));
            rows.add(row.toArray(new String[0]));
            if (openLoop && r.corrected() != null) {
                List<String> second = new ArrayList<>(List.of("", "", "", "", "uncorrected"));
                addLatencies(second, r.uncorrected());
                second.add("");
                rows.add(second.toArray(new String[0]));
            }
        }
        printAligned(rows, out);
        out.println();
        for (String line : details(report)) {
            out.println(line);
        }
    }

    private static void addLatencies(List<String> row, Histogram h) {
        for (double p : PERCENTILES) {
            row.add(h.getTotalCount() == 0 ? "-" : Units.latency(h.getValueAtPercentile(p)));
        }
        row.add(h.getTotalCount() == 0 ? "-" : Units.latency(h.getMaxValue()));
    }

    static String percentileName(double p) {
        String s = p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
        return "p" + s;
    }

    /** The lines under the table: what went wrong, per run, or that nothing did. */
    static List<String> details(Report report) {
        List<String> lines = new ArrayList<>();
        boolean perRunCheck = report.results().stream().map(RunResult::checkPhrase).distinct().count() > 1;
        for (RunResult r : report.results()) {
            String who = report.results().size() > 1 ? r.label() + ": " : "";
            RunResult.Connections c = r.connections();
            if (r.mode().equals("connect")) {
                lines.add(who + "connections: " + c.reopened() + " opened during the run, " + c.requested() + " at a time");
            } else if (r.mode().equals("hold")) {
                lines.add(who + "connections: " + c.established() + " of " + c.requested() + " connected in "
                        + Units.latency(c.setupSeconds() * 1e9) + (c.failed() > 0 ? ", " + c.failed() + " failed" : ""));
            } else {
                lines.add(who + "connections: " + c.established() + " of " + c.requested() + " open"
                        + (report.merged() ? "" : " in " + Units.latency(c.setupSeconds() * 1e9))
                        + (c.failed() > 0 ? ", " + c.failed() + " failed" : "")
                        + (c.reopened() > 0 ? ", " + c.reopened() + " reopened after errors" : ""));
            }
            if (r.errorTotal() == 0) {
                lines.add(who + "errors: none");
            } else {
                StringBuilder sb = new StringBuilder(who + "errors: " + r.errorTotal() + " (");
                for (ErrorClass kind : ErrorClass.values()) {
                    sb.append(kind.ordinal() == 0 ? "" : ", ").append(kind.key()).append(' ').append(r.errors(kind));
                }
                lines.add(sb.append(')').toString());
                if (r.errors(ErrorClass.CONNECT) > 0 && c.firstFailure() != null) {
                    lines.add(who + "first connect error: " + c.firstFailure());
                }
                String hint = r.errors(ErrorClass.MISMATCH) > 0 ? mismatchHint(r) : null;
                if (hint != null) {
                    lines.add(who + "mismatch: " + hint);
                }
                String silence = r.errors(ErrorClass.TIMEOUT) > 0 && r.bytes() == 0 ? silenceHint(r) : null;
                if (silence != null) {
                    lines.add(who + "timeout: " + silence);
                }
            }
            if (perRunCheck) {
                lines.add(who + "check: " + r.checkPhrase());
            }
            RunResult.Datagrams d = r.datagrams();
            if (d != null) {
                lines.add(String.format(java.util.Locale.ROOT,
                        "%sdatagrams: %d sent, %d lost (%.3f%%), %d duplicates, %d reordered, %d late%s",
                        who, d.sent(), d.lost(), d.lossPercent(), d.duplicates(), d.reordered(), d.late(),
                        d.tagged() ? "" : " (untagged: duplicates and reordering not detected; they need a --check whose service"
                                + " leaves hex digits unchanged, as upper and echo do, and --size 8 or more)"));
                if (d.likelyRateLimit() != null) {
                    lines.addAll(rateLimitLines(who, d.likelyRateLimit()));
                }
            }
            if (r.hold() != null) {
                lines.add(who + "hold: " + r.hold().opened() + " of " + c.requested() + " connections answered at the start, "
                        + r.hold().alive() + " still answered after " + Units.latency(r.seconds() * 1e9));
            }
        }
        return lines;
    }

    /** Why UDP datagrams were lost, when the measurements point at the server's per-source rate limit. */
    private static List<String> rateLimitLines(String who, RunResult.RateLimit limit) {
        String source = limit.source() != null ? limit.source() : "this host's address";
        long below = Math.max(1, (long) Math.floor(limit.steadyPerSecond() * 0.9));
        return List.of(
                who + "losses: most likely the server's per-source rate limit, not the network: "
                        + limit.answeredBeforeLoss() + " replies without a loss (at " + Units.count(Math.rint(limit.burstPerSecond()))
                        + "/s or more), then a steady " + Units.count(Math.rint(limit.steadyPerSecond())) + "/s for " + source,
                who + "  (jecho answers --udp-rate datagrams a second per source, " + ServerConfig.DEFAULT_UDP_RATE
                        + " after a --udp-burst of " + ServerConfig.DEFAULT_UDP_BURST + " by default): exempt the bench"
                        + " on the server (jecho server --limit-exempt " + source + ") or stay below it (--rate " + below + ")");
    }

    /** Why replies may have mismatched, from the mode and what they were checked against; null when there is nothing to add. */
    private static String mismatchHint(RunResult r) {
        String check = r.config().path("check").asText();
        boolean detected = r.config().path("check_detected").asBoolean(false);
        if (r.mode().equals("upload")) {
            return "the server sent bytes back, and upload is for a server that sends nothing (a discard server,"
                    + " RFC 863); --check none reads and drops them";
        }
        if (r.mode().equals("download")) {
            return check.equals("auto")
                    ? "what the server sent is the output of no registered service (" + names(ServiceChecks.candidates(
                            BenchConfig.Mode.DOWNLOAD, false)) + "); --check none counts any bytes"
                    : "what the server sent is not " + check + "'s output; --check none counts any bytes";
        }
        if (check.equals("auto")) {
            return "replies are what no registered service gives (" + names(ServiceChecks.candidates(
                    BenchConfig.Mode.RR, "json-lines".equals(r.config().path("messages").asText())))
                    + "); --check none accepts any reply as long as its request";
        }
        if (detected) {
            return "the first reply was the request as " + check + " answers it (check " + check + ", detected)"
                    + " and later replies differ from that";
        }
        String jechos = Service.UPPER.name(); // jecho server's default service
        if (!check.equals("none") && !check.equals(jechos)) {
            return "replies differ from what " + check + " gives; jecho's default service is " + jechos
                    + " (leave out --check to detect it, or --check none for any server that keeps the length)";
        }
        return null;
    }

    /** Why nothing at all came back, when nothing did: the server may be one of another mode. */
    private static String silenceHint(RunResult r) {
        if (r.mode().equals("upload")) {
            return null;
        }
        if (r.mode().equals("download")) {
            return "nothing came: download reads what a server sends without being asked (a chargen server, RFC 864)";
        }
        List<Service> silent = ServiceChecks.candidates(BenchConfig.Mode.UPLOAD, false);
        return silent.isEmpty() ? null : "no reply came: a server that answers nothing (" + names(silent)
                + ") is measured with --mode upload";
    }

    private static String names(List<Service> services) {
        return ServiceRegistry.names(services).replace(" or ", ", ");
    }

    private static void printAligned(List<String[]> rows, PrintStream out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                boolean left = i == 0 || row[i].equals("corrected") || row[i].equals("uncorrected") || row[i].equals("latency");
                sb.append(left ? pad(row[i], width[i], false) : pad(row[i], width[i], true));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - s.length()));
        return right ? spaces + s : s + spaces;
    }
}
