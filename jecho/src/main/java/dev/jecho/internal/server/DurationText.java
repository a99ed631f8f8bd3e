package dev.jecho.internal.server;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a person types them in an option or a spec: {@code 500ms}, {@code 10s}, {@code 5m},
 * {@code 1h}; a bare number is seconds. One parser for the command line's options and the library's specs
 * ({@link PenaltyPolicy#parse}).
 */
public final class DurationText {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    /** A year: longer is a typo, and far from where a deadline's nanoseconds overflow. */
    public static final Duration MAX = Duration.ofDays(365);

    private DurationText() {
    }

    /**
     * A duration of 0 or more, at most {@link #MAX}.
     *
     * @throws IllegalArgumentException saying what the value must be ({@code takes a duration such as ...}), for
     *                                  the caller to put the option's name in front
     */
    public static Duration parse(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(value.trim().startsWith("-")
                    ? "must be 0 or more, got " + value.trim()
                    : "takes a duration such as 500ms, 10s, 5m or 1h, got '" + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        if (millis > MAX.toMillis()) {
            throw new IllegalArgumentException("must be at most " + format(MAX) + " (a year), got " + value.trim());
        }
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** The short form a person would type: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
