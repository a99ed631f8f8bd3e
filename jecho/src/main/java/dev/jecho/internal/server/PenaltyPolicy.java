package dev.jecho.internal.server;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How misbehaving sources are held off, after OpenSSH's {@code PerSourcePenalties}. Each offence adds its
 * duration to the source's penalty (capped at {@code max}); the source is refused once the penalty
 * outstanding exceeds {@code min}, until it runs out. The table holds at most {@code maxSources} sources;
 * when it is full the penalties closest to expiry are dropped first (OpenSSH's "permissive" overflow), so a
 * flood from many addresses cannot grow memory or lock out everyone.
 *
 * @param authFail   a failed authentication or TLS handshake (OpenSSH: authfail, 5 s)
 * @param timeout    a handshake not finished in time (OpenSSH: grace-exceeded, 10 s)
 * @param refused    a connection refused by a per-source cap (jecho's own)
 * @param noAuth     a client that hung up before finishing its handshake, a health check included: it held
 *                   a startup slot for nothing (OpenSSH: noauth, 1 s)
 * @param min        the penalty outstanding before a source is refused (OpenSSH: 15 s)
 * @param max        the longest a source is refused (OpenSSH: 10 min)
 * @param maxSources how many sources the table tracks (OpenSSH: 65536)
 */
public record PenaltyPolicy(Duration authFail, Duration timeout, Duration refused, Duration noAuth, Duration min, Duration max,
                            int maxSources) {

    public static final PenaltyPolicy DEFAULT = new PenaltyPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(10), 65536);

    /** No penalties at all. */
    public static final PenaltyPolicy OFF = new PenaltyPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, 0);

    public PenaltyPolicy {
        for (Duration d : new Duration[] {authFail, timeout, refused, noAuth, min, max}) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("penalty durations cannot be negative");
            }
        }
        if (maxSources < 0) {
            throw new IllegalArgumentException("max-sources cannot be negative, got " + maxSources);
        }
    }

    /** The policy as it was before hang-ups were penalised: a hang-up during the handshake costs nothing. */
    public PenaltyPolicy(Duration authFail, Duration timeout, Duration refused, Duration min, Duration max, int maxSources) {
        this(authFail, timeout, refused, Duration.ZERO, min, max, maxSources);
    }

    /**
     * The syntax of {@code --penalties}: {@code off}, or comma-separated {@code KEY:VALUE} pairs that change the
     * defaults: {@code authfail}, {@code timeout}, {@code refused}, {@code noauth}, {@code min}, {@code max}
     * (durations, see {@link DurationText}) and {@code max-sources} (a count).
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static PenaltyPolicy parse(String spec) {
        String v = spec.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("no") || v.equals("none")) {
            return OFF;
        }
        PenaltyPolicy p = DEFAULT;
        for (String part : v.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + part.trim() + "' in --penalties is not KEY:VALUE"
                        + " (keys: authfail, timeout, refused, noauth, min, max, max-sources; or 'off')");
            }
            String key = part.substring(0, colon).trim();
            String text = part.substring(colon + 1).trim();
            p = switch (key) {
                case "authfail" -> new PenaltyPolicy(duration(text), p.timeout, p.refused, p.noAuth, p.min, p.max, p.maxSources);
                case "timeout" -> new PenaltyPolicy(p.authFail, duration(text), p.refused, p.noAuth, p.min, p.max, p.maxSources);
                case "refused" -> new PenaltyPolicy(p.authFail, p.timeout, duration(text), p.noAuth, p.min, p.max, p.maxSources);
                case "noauth" -> new PenaltyPolicy(p.authFail, p.timeout, p.refused, duration(text), p.min, p.max, p.maxSources);
                case "min" -> new PenaltyPolicy(p.authFail, p.timeout, p.refused, p.noAuth, duration(text), p.max, p.maxSources);
                case "max" -> new PenaltyPolicy(p.authFail, p.timeout, p.refused, p.noAuth, p.min, duration(text), p.maxSources);
                case "max-sources" -> new PenaltyPolicy(p.authFail, p.timeout, p.refused, p.noAuth, p.min, p.max, count(text));
                default -> throw new IllegalArgumentException("unknown key '" + key + "' in --penalties"
                        + " (keys: authfail, timeout, refused, noauth, min, max, max-sources; or 'off')");
            };
        }
        return p;
    }

    private static Duration duration(String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--penalties " + e.getMessage(), e);
        }
    }

    private static int count(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("max-sources in --penalties must be a number, got '" + text + "'");
        }
    }

    /** False when no offence can ever refuse a source. */
    public boolean enabled() {
        return maxSources > 0 && !max.isZero()
                && !(authFail.isZero() && timeout.isZero() && refused.isZero() && noAuth.isZero());
    }

    /** The kinds of offence a source is penalised for. */
    enum Offence {
        AUTH_FAIL("failed authentication"),
        /** Counts as a failed authentication ({@link #authFail}). */
        TLS_FAIL("failed TLS handshake"),
        TIMEOUT("handshake timeout"),
        REFUSED("refused connections"),
        NO_AUTH("hang-ups during the handshake");

        final String description;

        Offence(String description) {
            this.description = description;
        }
    }

    Duration durationOf(Offence offence) {
        return switch (offence) {
            case AUTH_FAIL, TLS_FAIL -> authFail;
            case TIMEOUT -> timeout;
            case REFUSED -> refused;
            case NO_AUTH -> noAuth;
        };
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "off";
        }
        return "authfail:" + DurationText.format(authFail) + ",timeout:" + DurationText.format(timeout)
                + ",refused:" + DurationText.format(refused) + ",noauth:" + DurationText.format(noAuth)
                + ",min:" + DurationText.format(min) + ",max:" + DurationText.format(max) + ",max-sources:" + maxSources;
    }
}
