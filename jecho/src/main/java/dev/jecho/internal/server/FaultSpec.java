package dev.jecho.internal.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One fault, as the one syntax of {@code --fault}, {@code Fault.parse} and the HTTP API writes it:
 * {@code TYPE[=VALUE][,KEY=VALUE]...} ({@code ;} separates as well as {@code ,}), e.g.
 * {@code latency=50ms,jitter=10ms} or {@code reset-after=64KiB;toxicity=0.1}. Each field is used by the types that
 * name it (see {@link #parse}); the others hold their zero.
 *
 * @param name     the fault's name in the live set (default {@code TYPE} or {@code TYPE-upstream}); adding a fault
 *                 with a name already there replaces it
 * @param upstream acts on what the client sends rather than on the replies (stream faults only)
 * @param toxicity the fraction of connections that meet it (stream faults only), drawn per connection
 * @param bytes    latency: -; bandwidth: bytes a second; slice: the smallest piece; stall, close-after, reset-after:
 *                 after this many bytes, or -1 when after a time; corrupt: one bit flipped every this many bytes;
 *                 truncate: the length replies are cut to
 * @param bytesMax slice: the largest piece
 * @param time     latency, delay: the delay; slice: between pieces; stall, close-after, reset-after: after this long
 *                 from connect (null when after bytes); slow-close: how long the FIN waits; reorder: how long a
 *                 held-back datagram waits
 * @param jitter   latency, delay: each delay is drawn from {@code time} ± {@code jitter}, uniformly
 * @param fraction loss, duplicate, reorder: the fraction of datagrams
 * @param burst    loss: how many datagrams in a row each loss takes (1: independent losses)
 */
public record FaultSpec(FaultType type, String name, boolean upstream, double toxicity, long bytes, long bytesMax,
                        Duration time, Duration jitter, double fraction, int burst) {

    private static final Pattern SEPARATOR = Pattern.compile("\\s*[,;]\\s*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TIME_UNIT = Pattern.compile(".*\\d\\s*(ms|s|h)", Pattern.CASE_INSENSITIVE);

    /**
     * Reads a spec. Types and what their value is (SIZE: {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 1MiB};
     * TIME: {@code 500ms}, {@code 2s}; FRACTION: {@code 0.1} or {@code 10%}):
     * <pre>
     *   stream    latency=TIME[,jitter=TIME]   bandwidth=SIZE (a second)   slice=SIZE[-SIZE][,delay=TIME]
     *             stall[=SIZE|TIME]   close-after=SIZE|TIME   reset-after=SIZE|TIME   slow-close=TIME
     *             refuse   corrupt=SIZE (one bit every SIZE bytes)
     *             each also [,stream=down|up] [,toxicity=FRACTION]
     *   datagram  loss=FRACTION[,burst=N]   duplicate=FRACTION   reorder=FRACTION[,delay=TIME]
     *             delay=TIME[,jitter=TIME]   truncate=SIZE
     *   any       [,name=NAME]
     * </pre>
     *
     * @throws IllegalArgumentException one line saying what is wrong with the spec, quoting it
     */
    public static FaultSpec parse(String spec) {
        try {
            return read(spec.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + spec.trim() + "': " + e.getMessage());
        }
    }

    private static FaultSpec read(String spec) {
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("empty (e.g. latency=50ms,jitter=10ms)");
        }
        String[] parts = SEPARATOR.split(spec);
        int eq = parts[0].indexOf('=');
        String word = (eq < 0 ? parts[0] : parts[0].substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : parts[0].substring(eq + 1).trim();
        FaultType type = FaultType.of(word);
        if (type == null) {
            throw new IllegalArgumentException("unknown fault '" + word + "' (stream: " + FaultType.words(true)
                    + "; datagram: " + FaultType.words(false) + ")");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int e = parts[i].indexOf('=');
            if (e <= 0) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not KEY=VALUE");
            }
            String key = parts[i].substring(0, e).trim().toLowerCase(Locale.ROOT);
            if (options.put(key, parts[i].substring(e + 1).trim()) != null) {
                throw new IllegalArgumentException(key + " given twice");
            }
        }
        return build(type, value, options);
    }

    private static FaultSpec build(FaultType type, String value, Map<String, String> o) {
        String name = o.remove("name");
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-64 of A-Z a-z 0-9 . _ -, got '" + name + "'");
        }
        boolean upstream = false;
        double toxicity = 1;
        if (type.stream()) {
            String stream = o.remove("stream");
            if (stream != null) {
                upstream = switch (stream.toLowerCase(Locale.ROOT)) {
                    case "up", "upstream" -> true;
                    case "down", "downstream" -> false;
                    default -> throw new IllegalArgumentException("stream is down (the replies) or up (the requests), got '" + stream + "'");
                };
            }
            String t = o.remove("toxicity");
            if (t != null) {
                toxicity = fraction("toxicity", t);
            }
        }
        long bytes = 0;
        long bytesMax = 0;
        Duration time = null;
        Duration jitter = null;
        double fraction = 0;
        int burst = 1;
        switch (type) {
            case LATENCY, DELAY -> {
                time = time(type, need(type, value, "a time such as 50ms"));
                jitter = o.containsKey("jitter") ? time("jitter", o.remove("jitter")) : Duration.ZERO;
            }
            case BANDWIDTH -> {
                String v = need(type, value, "bytes a second such as 64KiB");
                bytes = positive(type, size(type, v.endsWith("/s") ? v.substring(0, v.length() - 2) : v));
            }
            case SLICE -> {
                String v = need(type, value, "a piece size or range such as 1-16");
                int dash = v.indexOf('-');
                bytes = positive(type, size(type, dash < 0 ? v : v.substring(0, dash)));
                bytesMax = dash < 0 ? bytes : size(type, v.substring(dash + 1));
                if (bytesMax < bytes) {
                    throw new IllegalArgumentException("slice range " + v + " ends below where it starts");
                }
                time = o.containsKey("delay") ? time("delay", o.remove("delay")) : Duration.ZERO;
            }
            case STALL, CLOSE_AFTER, RESET_AFTER -> {
                String v = value == null && type == FaultType.STALL ? "0" : need(type, value, "bytes such as 64KiB, or a time such as 2s");
                if (TIME_UNIT.matcher(v).matches()) {
                    time = time(type, v);
                    bytes = -1;
                } else {
                    bytes = size(type, v);
                }
            }
            case SLOW_CLOSE -> time = time(type, need(type, value, "a time such as 2s"));
            case REFUSE -> {
                if (value != null) {
                    throw new IllegalArgumentException("refuse takes no value (use toxicity=FRACTION for a share of connections)");
                }
            }
            case CORRUPT -> bytes = positive(type, size(type, need(type, value, "every how many bytes a bit flips, e.g. 1KiB")));
            case TRUNCATE -> bytes = size(type, need(type, value, "the length replies are cut to, e.g. 16"));
            case LOSS, DUPLICATE, REORDER -> {
                fraction = fraction(type.word(), need(type, value, "a fraction such as 0.1 or 10%"));
                if (type == FaultType.LOSS && o.containsKey("burst")) {
                    String b = o.remove("burst");
                    try {
                        burst = Integer.parseInt(b);
                    } catch (NumberFormatException e) {
                        burst = 0;
                    }
                    if (burst < 1 || burst > 1000) {
                        throw new IllegalArgumentException("burst is how many datagrams each loss takes, 1-1000, got '" + b + "'");
                    }
                }
                if (type == FaultType.REORDER) {
                    time = o.containsKey("delay") ? time("delay", o.remove("delay")) : Duration.ofMillis(20);
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
        if (!o.isEmpty()) {
            String key = o.keySet().iterator().next();
            throw new IllegalArgumentException(key + " does not apply to " + type.word()
                    + (type.stream() ? "" : (key.equals("toxicity") || key.equals("stream") ? " (a datagram fault acts on the replies;"
                    + " its own fraction says how often)" : "")));
        }
        if (name == null) {
            name = type.word() + (upstream ? "-upstream" : "");
        }
        return new FaultSpec(type, name, upstream, toxicity, bytes, bytesMax, time, jitter, fraction, burst);
    }

    private static String need(FaultType type, String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(type.word() + " needs " + what + " (" + type.word() + "=...)");
        }
        return value;
    }

    private static Duration time(Object what, String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(word(what) + " " + e.getMessage());
        }
    }

    private static int size(Object what, String value) {
        try {
            return SizeText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(word(what) + " " + e.getMessage());
        }
    }

    private static long positive(FaultType type, long n) {
        if (n < 1) {
            throw new IllegalArgumentException(type.word() + " must be 1 byte or more");
        }
        return n;
    }

    private static double fraction(String what, String value) {
        String v = value.trim();
        double f;
        try {
            f = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100 : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(what + " takes a fraction from 0 to 1 (0.1 or 10%), got '" + value + "'");
        }
        return f;
    }

    private static String word(Object what) {
        return what instanceof FaultType t ? t.word() : what.toString();
    }

    /** The spec in its canonical form, which {@link #parse} reads back to an equal spec. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(type.word());
        switch (type) {
            case LATENCY, DELAY -> {
                s.append('=').append(DurationText.format(time));
                if (!jitter.isZero()) {
                    s.append(",jitter=").append(DurationText.format(jitter));
                }
            }
            case BANDWIDTH, CORRUPT, TRUNCATE -> s.append('=').append(SizeText.format(bytes));
            case SLICE -> {
                s.append('=').append(SizeText.format(bytes));
                if (bytesMax != bytes) {
                    s.append('-').append(SizeText.format(bytesMax));
                }
                if (!time.isZero()) {
                    s.append(",delay=").append(DurationText.format(time));
                }
            }
            case STALL, CLOSE_AFTER, RESET_AFTER -> s.append('=').append(time != null ? DurationText.format(time) : SizeText.format(bytes));
            case SLOW_CLOSE -> s.append('=').append(DurationText.format(time));
            case LOSS, DUPLICATE, REORDER -> {
                s.append('=').append(number(fraction));
                if (burst != 1) {
                    s.append(",burst=").append(burst);
                }
                if (type == FaultType.REORDER) {
                    s.append(",delay=").append(DurationText.format(time));
                }
            }
            default -> { }
        }
        if (upstream) {
            s.append(",stream=up");
        }
        if (toxicity != 1) {
            s.append(",toxicity=").append(number(toxicity));
        }
        if (!name.equals(type.word() + (upstream ? "-upstream" : ""))) {
            s.append(",name=").append(name);
        }
        return s.toString();
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The delay drawn for one chunk or datagram: {@code time} ± {@code jitter}, never below zero. */
    long delayNanos(java.util.SplittableRandom random) {
        long base = time.toNanos();
        long j = jitter == null ? 0 : jitter.toNanos();
        return j == 0 ? base : Math.max(0, base - j + (long) (random.nextDouble() * 2 * j));
    }
}
