package dev.jecho.internal.server;

import dev.jecho.ListenerRecorder;
import dev.jecho.ServerStats;

/** Stream listeners for handler tests: no metrics, a name, the collaborators the test wants to watch. */
final class TestListeners {

    private TestListeners() {
    }

    static StreamListener stream(ConnectionLog log, String name, ServerCounters stats, OpenConnections open,
                                 boolean peerKnownAtConnect) {
        return new StreamListener(name, name + "://test", log, stats, open, ListenerRecorder.NONE, peerKnownAtConnect);
    }
}
