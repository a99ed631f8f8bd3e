package dev.jecho.internal.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a stream connection may take: to sit idle and to leave its replies unread ({@link ConnectionSweeper}),
 * to authenticate (the handshake handler's deadline), and to receive its last replies at a stop (the drain).
 *
 * @param idle       nothing read and nothing left to send for this long closes a connection; zero: never
 * @param slowClient replies that could not be sent for this long close a connection; zero: never
 * @param handshake  an absolute deadline from connect to authenticated; bytes do not extend it
 * @param drain      at a graceful stop, how long connections get before the hard stop; zero: none
 */
public record Timeouts(Duration idle, Duration slowClient, Duration handshake, Duration drain) {

    public Timeouts {
        notNegative("idle-timeout", idle);
        notNegative("slow-client-timeout", slowClient);
        if (notNegative("handshake-timeout", handshake).isZero()) {
            throw new IllegalArgumentException("handshake-timeout must be longer than zero");
        }
        notNegative("drain-timeout", drain);
    }

    private static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative");
        }
        return value;
    }
}
