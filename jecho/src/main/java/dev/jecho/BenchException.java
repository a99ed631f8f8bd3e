package dev.jecho;

import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Locale;

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

    /** Turns the first failed connect of a run into one readable sentence. */
    public static BenchException connectFailed(Endpoint endpoint, Throwable cause) {
        if (cause instanceof ClientException session) { // TLS or the handshake: the client's own sentence
            return new BenchException(session.reason() == ClientException.Reason.AUTH ? Reason.AUTH : Reason.UNREACHABLE,
                    session.getMessage(), cause);
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        String what;
        if (cause instanceof ConnectTimeoutException) {
            what = "timed out (is the host up? a firewall dropping packets?)";
        } else if (cause instanceof PortUnreachableException || message.contains("refused")) {
            what = "connection refused (is the server running?)";
        } else if (message.contains("no such file")) {
            what = "no socket at " + endpoint.path() + " (is the server running?)";
        } else if (cause instanceof NoRouteToHostException || message.contains("unreachable")) {
            what = "no route to the host";
        } else if (cause instanceof ConnectException) {
            what = cause.getMessage();
        } else {
            what = cause.toString();
        }
        return new BenchException(Reason.UNREACHABLE, "cannot connect to " + endpoint + ": " + what, cause);
    }
}
