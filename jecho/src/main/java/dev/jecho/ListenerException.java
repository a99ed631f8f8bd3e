package dev.jecho;

import java.io.IOException;
import java.net.BindException;
import java.util.Locale;

/** A listener could not be opened; the message names the address and says what to do. */
public final class ListenerException extends IOException {

    private final Endpoint endpoint;

    public ListenerException(Endpoint endpoint, String problem, Throwable cause) {
        this(endpoint.toString(), endpoint, problem, cause);
    }

    /** @param listener how the message names the listener, e.g. {@code metrics http://127.0.0.1:9100} */
    public ListenerException(String listener, Endpoint endpoint, String problem, Throwable cause) {
        super("cannot listen on " + listener + ": " + problem, cause);
        this.endpoint = endpoint;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Turns a bind failure from any transport into one readable sentence. */
    public static ListenerException fromBindFailure(Endpoint endpoint, Throwable cause) {
        return fromBindFailure(endpoint.toString(), endpoint, cause);
    }

    /** The same, for a listener named otherwise than by its endpoint (the metrics port). */
    public static ListenerException fromBindFailure(String listener, Endpoint endpoint, Throwable cause) {
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
