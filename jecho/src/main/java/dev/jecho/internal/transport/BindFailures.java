package dev.jecho.internal.transport;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;

import java.net.BindException;
import java.util.Locale;

/** A bind that failed, on any transport, as one readable sentence. */
public final class BindFailures {

    private BindFailures() {
    }

    /** Turns a bind failure from any transport into one readable sentence. */
    public static ListenerException listenerException(Endpoint endpoint, Throwable cause) {
        return listenerException(endpoint.toString(), endpoint, cause);
    }

    /** The same, for a listener named otherwise than by its endpoint (the metrics port). */
    public static ListenerException listenerException(String listener, Endpoint endpoint, Throwable cause) {
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        String problem;
        if (message.contains("address already in use")) {
            problem = "address already in use (is another server running there? choose another port)";
        } else if (message.contains("cannot assign requested address")) {
            problem = "no network interface has that address (use 127.0.0.1, ::1 or a local address)";
        } else if (message.contains("permission denied") || message.contains("access denied")) {
            problem = endpoint.kind() == Endpoint.Kind.UNIX
                    ? "permission denied (choose a directory you can write to)"
                    : "permission denied (ports below 1024 need privileges; choose a port above 1023)";
        } else if (cause instanceof BindException || cause instanceof java.nio.channels.UnresolvedAddressException) {
            problem = String.valueOf(cause.getMessage());
        } else if (cause instanceof IllegalArgumentException) {
            problem = String.valueOf(cause.getMessage());
        } else {
            problem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return new ListenerException(listener, endpoint, problem, cause);
    }
}
