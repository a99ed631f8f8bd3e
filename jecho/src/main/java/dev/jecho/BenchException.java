package dev.jecho;

/** A benchmark that could not run, with a message fit to show a user as it is. */
public final class BenchException extends Exception {

    /** The classes of failure a caller may want to tell apart (for exit codes). */
    public enum Reason {
        /** No connection could be opened: nothing listens there, or the host is unknown or unreachable. */
        UNREACHABLE,
        /**
         * No connection got through TLS or the handshake: the server rejected our key, failed to prove its own,
         * does not speak the protocol, or its certificate is not trusted.
         */
        AUTH,
        /** A file could not be read or written, or is not what it should be. */
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
    public BenchException(Reason reason, String message) {
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
    public BenchException(Reason reason, String message, Throwable cause) {
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
