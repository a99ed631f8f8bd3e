package dev.jecho;

/**
 * Where a server's counts go: one {@link ListenerRecorder} per listener, asked for once when the listener opens.
 * {@link #NONE} (the default) records nothing; jecho-metrics's {@code PrometheusMetrics} is one, and an embedder
 * may write its own. The listeners call their recorder on their event loops, for every connection and message:
 * it must be fast and must never block or throw.
 */
public interface MetricsRecorder {

    /** Records nothing: every listener gets {@link ListenerRecorder#NONE}. */
    MetricsRecorder NONE = (listener, service) -> ListenerRecorder.NONE;

    /**
     * The recorder for one listener, resolved once when the listener opens.
     *
     * @param listener the listener as the operator configured it, e.g. {@code tcp://127.0.0.1:8888}
     * @param service  the service it runs, e.g. {@code upper}
     * @return its recorder ({@link ListenerRecorder#NONE} to record nothing for it)
     */
    ListenerRecorder listener(String listener, String service);
}
