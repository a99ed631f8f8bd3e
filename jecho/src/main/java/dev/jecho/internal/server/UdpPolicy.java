package dev.jecho.internal.server;

/**
 * What a UDP listener answers: datagrams up to a size, at a rate per source address. Its sources exempt from
 * the rate are {@link ConnectionLimits#exempt}'s.
 *
 * @param maxDatagram the largest datagram answered; a larger one is dropped and counted, never answered truncated
 * @param rate        datagrams answered per second per source address; 0: no limit
 * @param burst       datagrams a source may send at once before its rate applies
 */
public record UdpPolicy(int maxDatagram, int rate, int burst) {

    /** The largest UDP payload over IPv6 without jumbograms. */
    static final int MAX_DATAGRAM_LIMIT = 65527;
    /** Sources the rate limiter tracks one by one; beyond that, new sources share one bucket. */
    static final int RATE_SOURCES = 16_384;

    public UdpPolicy {
        if (maxDatagram < 0 || maxDatagram > MAX_DATAGRAM_LIMIT) {
            throw new IllegalArgumentException("max-datagram must be 0-" + MAX_DATAGRAM_LIMIT + " bytes, got " + maxDatagram);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("udp-rate cannot be negative, got " + rate);
        }
        if (rate > 0 && burst < 1) {
            throw new IllegalArgumentException("udp-burst must be at least 1, got " + burst);
        }
    }

    /** One byte more than the largest datagram answered: a datagram that fills it was larger, and is dropped. */
    int receiveBufferSize() {
        return maxDatagram + 1;
    }

    /** A rate limiter for one listener, or null when there is no rate limit. */
    DatagramRateLimiter newRateLimiter() {
        return rate > 0 ? new DatagramRateLimiter(rate, burst, RATE_SOURCES) : null;
    }
}
