package dev.jecho.internal.server;

import java.time.Duration;
import java.util.Objects;

/**
 * TCP listeners behind a load balancer: every connection starts with a PROXY protocol header (v1 or v2) from a
 * trusted proxy, whole within the timeout ({@link ProxyHeaderHandler}).
 *
 * @param trusted       the networks allowed to send headers
 * @param headerTimeout how long a connection may take to send its whole header
 */
public record ProxyProtocol(TrustedProxies trusted, Duration headerTimeout) {

    public ProxyProtocol {
        Objects.requireNonNull(trusted, "trusted");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("PROXY header timeout must be positive, got " + headerTimeout);
        }
    }
}
