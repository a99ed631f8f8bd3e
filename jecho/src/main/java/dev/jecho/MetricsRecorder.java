package dev.jecho;

/** Hands out one {@link ListenerRecorder} per listener; {@link #NONE} when metrics are off. */
public interface MetricsRecorder {

    MetricsRecorder NONE = (listener, service) -> ListenerRecorder.NONE;

    /**
     * The recorder for one listener, resolved once when the listener opens.
     *
     * @param listener the listener as the operator configured it, e.g. {@code tcp://127.0.0.1:8888}
     * @param service  the service it runs, e.g. {@code upper}
     */
    ListenerRecorder listener(String listener, String service);
}
