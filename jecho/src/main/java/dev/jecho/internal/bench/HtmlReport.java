package dev.jecho.internal.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --html FILE}: one page, nothing fetched from anywhere (inline SVG and CSS, no scripts), that is
 * also well-formed XML. It shows the latency percentile curve as HdrHistogram plots it (percentiles on a
 * log scale of 1/(1-p), latency on a log scale; corrected solid, uncorrected dashed; one colour per run),
 * throughput over time, and the summary table.
 */
public final class HtmlReport {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
    private static final int W = 760;
    private static final int H = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;
    /** The percentile axis runs to 99.999 % (1/(1-p) = 10^5) or as far as the sample count reaches. */
    private static final double MAX_NINES = 5;

    private HtmlReport() {
    }

    public static void write(Report report, Path file) throws IOException {
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    static String render(Report report) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(esc(report.title())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:64em}\n")
                .append("h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}\n")
                .append("table{border-collapse:collapse;font-variant-numeric:tabular-nums}\n")
                .append("td,th{padding:.25em .7em;text-align:right;border-bottom:1px solid #ddd}\n")
                .append("td:first-child,th:first-child{text-align:left}\n")
                .append("svg text{font-size:12px;fill:#333}.grid{stroke:#e4e4e4}.axis{stroke:#888}\n")
                .append(".note{color:#666;font-size:.9em}\n")
                .append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(report.title())).append("</h1>\n");
        sb.append("<p class=\"note\">").append(esc(Instant.ofEpochMilli(report.startedAtMs()).toString()))
                .append(", jecho ").append(esc(Report.jechoVersion()));
        if (report.merged()) {
            sb.append(", merged from ").append(esc(String.join(", ", report.sources())));
        }
        sb.append("</p>\n");
        sb.append("<h2>Summary</h2>\n");
        table(report, sb);
        sb.append("<h2>Latency by percentile</h2>\n");
        sb.append("<p class=\"note\">HdrHistogram style: the percentile axis is logarithmic in 1/(1-p), so each nine gets the same room.")
                .append(report.results().stream().anyMatch(r -> r.corrected() != null)
                        ? " Solid: corrected for coordinated omission (from when each request was due); dashed: uncorrected (from when it was sent)."
                        : " Closed loop: each request is timed from when it was sent.")
                .append("</p>\n");
        percentileChart(report.results(), sb);
        sb.append("<h2>Throughput over time</h2>\n");
        throughputChart(report.results(), sb);
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void table(Report report, StringBuilder sb) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        TableReport.print(report, out);
        String[] lines = text.toString(StandardCharsets.UTF_8).split("\n");
        // lines: title, blank, header, rows..., blank, details...
        sb.append("<table>\n");
        int i = 2;
        boolean header = true;
        for (; i < lines.length && !lines[i].isBlank(); i++) {
            String[] cells = lines[i].trim().isEmpty() ? new String[0] : splitColumns(lines[i]);
            sb.append("<tr>");
            for (String cell : cells) {
                sb.append(header ? "<th>" : "<td>").append(esc(cell)).append(header ? "</th>" : "</td>");
            }
            sb.append("</tr>\n");
            header = false;
        }
        sb.append("</table>\n<ul>\n");
        for (String detail : TableReport.details(report)) {
            sb.append("<li>").append(esc(detail)).append("</li>\n");
        }
        sb.append("</ul>\n");
    }

    /** Columns of the text table are separated by two or more spaces; a leading gap is an empty cell. */
    private static String[] splitColumns(String line) {
        List<String> cells = new ArrayList<>();
        String rest = line;
        if (rest.startsWith(" ")) {
            cells.add("");
        }
        for (String cell : rest.trim().split(" {2,}")) {
            cells.add(cell);
        }
        return cells.toArray(new String[0]);
    }

    private record Curve(String name, String colour, boolean dashed, List<double[]> points) {
    }

    private static void percentileChart(List<RunResult> results, StringBuilder sb) {
        List<Curve> curves = new ArrayList<>();
        double nines = 1;
        double minLog = Double.MAX_VALUE;
        double maxLog = -Double.MAX_VALUE;
        for (int r = 0; r < results.size(); r++) {
            RunResult result = results.get(r);
            String colour = COLOURS[r % COLOURS.length];
            for (int k = 0; k < 2; k++) {
                Histogram h = k == 0 ? result.primaryLatency() : (result.corrected() != null ? result.uncorrected() : null);
                if (h == null || h.getTotalCount() == 0) {
                    continue;
                }
                List<double[]> points = percentilePoints(h);
                for (double[] p : points) {
                    nines = Math.max(nines, p[0]);
                    minLog = Math.min(minLog, p[1]);
                    maxLog = Math.max(maxLog, p[1]);
                }
                String name = result.label() + (result.corrected() == null ? "" : k == 0 ? " corrected" : " uncorrected");
                curves.add(new Curve(name, colour, k == 1, points));
            }
        }
        if (curves.isEmpty()) {
            sb.append("<p>No latencies were recorded.</p>\n");
            return;
        }
        nines = Math.min(MAX_NINES, Math.ceil(nines));
        double yLo = Math.floor(minLog);
        double yHi = Math.max(yLo + 1, Math.ceil(maxLog));
        openSvg(sb, "latency by percentile");
        // grid and axes: percentiles
        for (int n = 0; n <= nines; n++) {
            double x = x(n, nines);
            sb.append(line(x, TOP, x, H - BOTTOM, "grid"));
            sb.append(text(x, H - BOTTOM + 18, "middle", percentLabel(n)));
        }
        for (double d = yLo; d <= yHi; d++) {
            double y = y(d, yLo, yHi);
            sb.append(line(LEFT, y, W - RIGHT, y, "grid"));
            sb.append(text(LEFT - 6, y + 4, "end", Units.latency(Math.pow(10, d))));
        }
        axes(sb, "percentile", "latency");
        for (Curve c : curves) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : c.points()) {
                if (p[0] > nines) {
                    break;
                }
                pts.append(fmt(x(p[0], nines))).append(',').append(fmt(y(p[1], yLo, yHi))).append(' ');
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(c.colour()).append("\" stroke-width=\"2\"")
                    .append(c.dashed() ? " stroke-dasharray=\"6 4\"" : "").append(" points=\"").append(pts.toString().trim()).append("\"/>\n");
        }
        legend(sb, curves);
        sb.append("</svg>\n");
    }

    /** (log10 of 1/(1-p), log10 of latency in ns) at HdrHistogram's percentile steps. */
    static List<double[]> percentilePoints(Histogram h) {
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break;
            }
            points.add(new double[] {Math.log10(1 / (1 - p)), Math.log10(Math.max(1, v.getValueIteratedTo()))});
        }
        // the curve ends at the maximum, drawn at the last percentile the sample count can resolve
        double last = Math.log10(Math.max(10, h.getTotalCount()));
        points.add(new double[] {Math.min(MAX_NINES, last), Math.log10(Math.max(1, h.getMaxValue()))});
        return points;
    }

    private static void throughputChart(List<RunResult> results, StringBuilder sb) {
        // bulk, upload and download measure bytes: MB/s over time
        boolean bulk = results.stream().allMatch(r -> List.of("bulk", "upload", "download").contains(r.mode()));
        double maxT = 0;
        double maxV = 0;
        List<Curve> curves = new ArrayList<>();
        for (int r = 0; r < results.size(); r++) {
            RunResult result = results.get(r);
            List<double[]> points = new ArrayList<>();
            for (RunResult.IntervalPoint p : result.intervals()) {
                double v = bulk ? p.bytesPerSecond() / 1e6 : p.requestsPerSecond();
                points.add(new double[] {p.endSeconds(), v});
                maxT = Math.max(maxT, p.endSeconds());
                maxV = Math.max(maxV, v);
            }
            if (!points.isEmpty()) {
                curves.add(new Curve(result.label(), COLOURS[r % COLOURS.length], false, points));
            }
        }
        if (curves.isEmpty()) {
            sb.append("<p>No intervals were recorded (hold mode measures no throughput).</p>\n");
            return;
        }
        double top = niceCeiling(maxV);
        maxT = Math.max(1, Math.ceil(maxT));
        openSvg(sb, "throughput over time");
        int steps = 5;
        for (int i = 0; i <= steps; i++) {
            double v = top * i / steps;
            double y = TOP + (H - TOP - BOTTOM) * (1 - v / top);
            sb.append(line(LEFT, y, W - RIGHT, y, "grid"));
            sb.append(text(LEFT - 6, y + 4, "end", bulk ? Units.megabytesPerSecond(v * 1e6) : Units.count(v)));
        }
        int tStep = (int) Math.max(1, Math.ceil(maxT / 10));
        for (int t = 0; t <= maxT; t += tStep) {
            double x = LEFT + (W - LEFT - RIGHT) * t / maxT;
            sb.append(line(x, TOP, x, H - BOTTOM, "grid"));
            sb.append(text(x, H - BOTTOM + 18, "middle", t + "s"));
        }
        axes(sb, "time", bulk ? "MB/s (10^6 bytes)" : results.get(0).mode().equals("connect") ? "connections/s" : "requests/s");
        for (Curve c : curves) {
            StringBuilder pts = new StringBuilder();
            pts.append(fmt(LEFT)).append(',').append(fmt(H - BOTTOM)).append(' ');
            double previousT = 0;
            for (double[] p : c.points()) {
                double y = TOP + (H - TOP - BOTTOM) * (1 - p[1] / top);
                // a step per interval: flat over the second it covers
                pts.append(fmt(LEFT + (W - LEFT - RIGHT) * previousT / maxT)).append(',').append(fmt(y)).append(' ');
                pts.append(fmt(LEFT + (W - LEFT - RIGHT) * p[0] / maxT)).append(',').append(fmt(y)).append(' ');
                previousT = p[0];
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(c.colour()).append("\" stroke-width=\"2\" points=\"")
                    .append(pts.toString().trim()).append("\"/>\n");
        }
        legend(sb, curves);
        sb.append("</svg>\n");
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static void openSvg(StringBuilder sb, String label) {
        sb.append("<svg width=\"").append(W).append("\" height=\"").append(H).append("\" viewBox=\"0 0 ")
                .append(W).append(' ').append(H).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">\n");
    }

    private static void axes(StringBuilder sb, String xName, String yName) {
        sb.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "axis"));
        sb.append(line(LEFT, TOP, LEFT, H - BOTTOM, "axis"));
        sb.append(text((LEFT + W - RIGHT) / 2.0, H - 10, "middle", xName));
        sb.append("<text x=\"14\" y=\"").append(fmt((TOP + H - BOTTOM) / 2.0)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(fmt((TOP + H - BOTTOM) / 2.0)).append(")\">").append(esc(yName)).append("</text>\n");
    }

    private static void legend(StringBuilder sb, List<Curve> curves) {
        double y = TOP + 12;
        for (Curve c : curves) {
            double x = LEFT + 14;
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(fmt(y - 4)).append("\" x2=\"").append(fmt(x + 24))
                    .append("\" y2=\"").append(fmt(y - 4)).append("\" stroke=\"").append(c.colour()).append("\" stroke-width=\"2\"")
                    .append(c.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
            sb.append(text(x + 30, y, "start", c.name()));
            y += 16;
        }
    }

    private static double x(double nines, double maxNines) {
        return LEFT + (W - LEFT - RIGHT) * nines / maxNines;
    }

    private static double y(double log, double lo, double hi) {
        return TOP + (H - TOP - BOTTOM) * (1 - (log - lo) / (hi - lo));
    }

    private static String percentLabel(int nines) {
        return switch (nines) {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(nines - 2) + "%";
        };
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, String s) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>\n";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
