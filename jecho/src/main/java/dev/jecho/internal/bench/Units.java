package dev.jecho.internal.bench;

import java.time.Duration;
import java.util.Locale;

/** How figures are written for people: 35.2k, 1.25 MB/s, 27.1µs, 10s. */
public final class Units {

    private Units() {
    }

    /** 950, 35.2k, 1.25M. */
    public static String count(double value) {
        double v = Math.abs(value);
        if (v >= 999_500) {
            return format(value / 1e6, "M");
        }
        if (v >= 1000) {
            return format(value / 1e3, "k");
        }
        if (v == Math.rint(v)) {
            return String.valueOf((long) value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String format(double scaled, String unit) {
        double a = Math.abs(scaled);
        String pattern = a >= 100 ? "%.0f%s" : a >= 10 ? "%.1f%s" : "%.2f%s";
        return String.format(Locale.ROOT, pattern, scaled, unit);
    }

    /** A latency in nanoseconds: 850ns, 27.1µs, 1.25ms, 2.50s. */
    static String latency(double nanos) {
        if (Double.isNaN(nanos)) {
            return "-";
        }
        if (nanos < 1000) {
            return String.format(Locale.ROOT, "%.0fns", nanos);
        }
        if (nanos < 1e6) {
            return threeDigits(nanos / 1e3) + "µs";
        }
        if (nanos < 1e9) {
            return threeDigits(nanos / 1e6) + "ms";
        }
        return threeDigits(nanos / 1e9) + "s";
    }

    private static String threeDigits(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    /** 10s, 500ms, 1.5s, 2m. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    /** Megabytes (10^6 bytes) per second, as the C load generator counts them. */
    static String megabytesPerSecond(double bytesPerSecond) {
        double mb = bytesPerSecond / 1e6;
        return String.format(Locale.ROOT, mb >= 100 ? "%.0f" : mb >= 10 ? "%.1f" : "%.2f", mb);
    }
}
