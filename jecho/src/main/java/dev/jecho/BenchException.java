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

    private final Reason reason;

    public BenchException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BenchException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
