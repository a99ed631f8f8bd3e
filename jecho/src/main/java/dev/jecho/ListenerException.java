package dev.jecho;

import java.io.IOException;

/** A listener could not be opened; the message names the address and says what to do. */
public final class ListenerException extends IOException {

    /** The listener that could not be opened. */
    private final Endpoint endpoint;

    /**
     * A listener that cannot be opened, named by its endpoint.
     *
     * @param endpoint the listener's endpoint
     * @param problem  what is wrong and what to do, e.g. {@code address already in use (choose another port)}
     * @param cause    the underlying exception, or null
     */
    public ListenerException(Endpoint endpoint, String problem, Throwable cause) {
        this(endpoint.toString(), endpoint, problem, cause);
    }

    /**
     * A listener that cannot be opened, named otherwise than by its endpoint.
     *
     * @param listener how the message names the listener, e.g. {@code metrics http://127.0.0.1:9100}
     * @param endpoint the listener's endpoint
     * @param problem  what is wrong and what to do
     * @param cause    the underlying exception, or null
     */
    public ListenerException(String listener, Endpoint endpoint, String problem, Throwable cause) {
        super("cannot listen on " + listener + ": " + problem, cause);
        this.endpoint = endpoint;
    }

    /**
     * The listener that could not be opened.
     *
     * @return its endpoint
     */
    public Endpoint endpoint() {
        return endpoint;
    }
}
