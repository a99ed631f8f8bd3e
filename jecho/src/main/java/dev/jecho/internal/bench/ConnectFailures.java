package dev.jecho.internal.bench;

import dev.jecho.BenchException;
import dev.jecho.BenchException.Reason;
import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Locale;

/** A run's first failed connect as one readable sentence. */
public final class ConnectFailures {

    private ConnectFailures() {
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
