package dev.jecho.internal.server;

import dev.jecho.ListenerRecorder;
import dev.jecho.ServerStats;

/**
 * What every connection of one stream listener shares: its name, the connection log, the server's
 * counters and registry, and the listener's metrics recorder, resolved once. Each connection's
 * {@link ConnectionTracker} holds one reference to this instead of a field per collaborator.
 */
final class StreamListener {

    private final String name;
    private final ConnectionLog log;
    private final ServerCounters stats;
    private final OpenConnections open;
    private final ListenerRecorder recorder;
    private final boolean peerKnownAtConnect;
    private volatile String endpoint;

    /**
     * @param name               the scheme, for the connect and close lines ({@code tcp}, {@code unix})
     * @param endpoint           the listener as configured; {@link #bound} replaces it with the bound address
     * @param peerKnownAtConnect false on a PROXY-protocol listener: the client's address is known only once
     *                           the header is read, and the header handler announces it
     */
    StreamListener(String name, String endpoint, ConnectionLog log, ServerCounters stats, OpenConnections open,
                   ListenerRecorder recorder, boolean peerKnownAtConnect) {
        this.name = name;
        this.endpoint = endpoint;
        this.log = log;
        this.stats = stats;
        this.open = open;
        this.recorder = recorder;
        this.peerKnownAtConnect = peerKnownAtConnect;
    }

    String name() {
        return name;
    }

    /** The listener's address as bound, e.g. {@code tcp://127.0.0.1:8888}, for {@code /connections}. */
    String endpoint() {
        return endpoint;
    }

    void bound(String boundEndpoint) {
        this.endpoint = boundEndpoint;
    }

    ConnectionLog log() {
        return log;
    }

    ServerCounters stats() {
        return stats;
    }

    OpenConnections open() {
        return open;
    }

    ListenerRecorder recorder() {
        return recorder;
    }

    boolean peerKnownAtConnect() {
        return peerKnownAtConnect;
    }
}
