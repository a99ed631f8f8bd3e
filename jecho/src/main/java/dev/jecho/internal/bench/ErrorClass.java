package dev.jecho.internal.bench;

import java.util.Locale;

/** The classes of failure the bench counts; each failed request or connection counts once, in one class. */
enum ErrorClass {
    /** A connection attempt failed or timed out, or its TLS or authentication handshake did. */
    CONNECT,
    /** A reply did not come within the timeout (TCP, Unix sockets; on UDP that is a loss instead). */
    TIMEOUT,
    /** A reply differed from what the check expects, had the wrong length, or its session record's tag was wrong. */
    MISMATCH,
    /** The server closed the connection (a FIN, the end of the stream) while it was in use. */
    CLOSED,
    /** The server reset the connection (an RST: it aborted it, or closed it with requests unread) while it was in use. */
    RESET;

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
