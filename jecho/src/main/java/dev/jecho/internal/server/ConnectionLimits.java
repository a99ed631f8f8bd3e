package dev.jecho.internal.server;

import java.util.List;
import java.util.Objects;

/**
 * Who may connect: the server's cap on open connections ({@link AcceptLimiter}) and the per-source caps,
 * pre-authentication caps and penalties ({@link SourceLimits}). {@code exempt} also exempts its sources from the
 * UDP rate limit.
 *
 * @param maxConnections      open stream connections, all listeners together, past which new ones are closed at once
 * @param maxConnectionsPerIp open connections per source; 0: no cap
 * @param maxStartups         the random-early-drop cap on unauthenticated connections, all sources together
 * @param maxStartupsPerIp    unauthenticated connections per source; 0: no cap
 * @param penalties           what failures cost their source
 * @param sourcePrefix        the address block counted as one source by the per-source caps and the penalties
 * @param exempt              addresses (matched one by one) exempt from every per-source limit
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, MaxStartups maxStartups, int maxStartupsPerIp,
                               PenaltyPolicy penalties, SourcePrefix sourcePrefix, List<Cidr> exempt) {

    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max-connections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("max-connections-per-ip cannot be negative, got " + maxConnectionsPerIp);
        }
        if (maxStartupsPerIp < 0) {
            throw new IllegalArgumentException("max-startups-per-ip cannot be negative, got " + maxStartupsPerIp);
        }
        Objects.requireNonNull(maxStartups, "maxStartups");
        Objects.requireNonNull(penalties, "penalties");
        Objects.requireNonNull(sourcePrefix, "sourcePrefix");
        exempt = List.copyOf(exempt);
    }
}
