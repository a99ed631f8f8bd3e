package dev.jecho;

import java.io.IOException;

/** Why an exchange with a server failed, with a message fit to show a user as it is. */
public final class ClientException extends IOException {

    /** The classes of failure a caller may want to tell apart. */
    public enum Reason {
        /** Nothing listens there, or the host is unknown or unreachable. */
        UNREACHABLE,
        /** The reply did not come in time (TCP, Unix sockets). */
        TIMEOUT,
        /** No reply to a datagram after every retry (UDP). */
        LOST,
        /** The server closed or reset the connection (the message says which). */
        CLOSED,
        /**
         * Authentication failed: the server rejected our key, failed to prove its own, does not speak the
         * protocol, or its TLS certificate is not trusted. Also a server that speaks what the client was not
         * told to (a key, TLS, JSON, the article's handshake: the message names the option), or whose reply
         * is not an echo of the message.
         */
        AUTH,
        /** The message cannot be sent as it is (too large for a datagram, say). */
        INVALID,
        /** Any other I/O error. */
        IO
    }

    /** The class of failure. */
    private final Reason reason;

    /**
     * A failure without a cause.
     *
     * @param reason  its class
     * @param message one line, fit to show a user as it is
     */
    public ClientException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * A failure and what caused it.
     *
     * @param reason  its class
     * @param message one line, fit to show a user as it is
     * @param cause   the underlying exception
     */
    public ClientException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * The class of failure, for a caller that tells them apart (the command line's exit codes do).
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
