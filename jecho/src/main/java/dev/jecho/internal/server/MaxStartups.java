package dev.jecho.internal.server;

/**
 * OpenSSH's {@code MaxStartups start:rate:full} for connections that have not finished authentication:
 * below {@code start} all are admitted; from {@code start} on, a new one is refused with probability
 * {@code rate}% rising linearly to 100% at {@code full} (random early drop), so a flood of half-open
 * handshakes cannot take every slot while real clients still get through.
 */
public record MaxStartups(int start, int rate, int full) {

    /** sshd's own default is 10:30:100 for a login server; an echo server's handshake is one round trip. */
    public static final MaxStartups DEFAULT = new MaxStartups(128, 30, 256);

    public MaxStartups {
        if (start < 1 || full < start) {
            throw new IllegalArgumentException("max-startups needs 1 <= start <= full, got " + start + ":" + rate + ":" + full);
        }
        if (rate < 0 || rate > 100) {
            throw new IllegalArgumentException("max-startups rate is a percentage 0-100, got " + rate);
        }
    }

    /**
     * {@code START:RATE:FULL}, or one number {@code N} for a hard cap (N:100:N).
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static MaxStartups parse(String text) {
        String[] parts = text.trim().split(":", -1);
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0]);
                return new MaxStartups(n, 100, n);
            }
            if (parts.length == 3) {
                return new MaxStartups(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("max-startups '" + text.trim() + "' is not START:RATE:FULL (e.g. 128:30:256) or a single number");
    }

    /**
     * Whether a new connection is refused while {@code startups} unauthenticated ones are open.
     *
     * @param roll a uniform random number in [0, 100)
     */
    boolean refuses(int startups, int roll) {
        if (startups < start) {
            return false;
        }
        if (startups >= full || rate == 100) {
            return true;
        }
        int p = rate + (100 - rate) * (startups - start) / (full - start);
        return roll < p;
    }

    @Override
    public String toString() {
        return start + ":" + rate + ":" + full;
    }
}
