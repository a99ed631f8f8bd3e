package dev.jecho.server;

import dev.jecho.metrics.ListenerRecorder;

/** Stream listeners for handler tests: no metrics, a name, the collaborators the test wants to watch. */
final class TestListeners {

    private TestListeners() {
    }

    static StreamListener stream(ConnectionLog log, String name, ServerStats stats, OpenConnections open,
                                 boolean peerKnownAtConnect) {
        return new StreamListener(name, name + "://test", log, stats, open, ListenerRecorder.NONE, peerKnownAtConnect);
    }
}
