package dev.jecho.server;

import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters that the server itself needs (open connections, drops); cheap to update. */
public final class ServerStats {

    private final LongAdder accepted = new LongAdder();
    private final OpenConnections open;
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsDropped = new LongAdder();

    ServerStats(OpenConnections open) {
        this.open = open;
    }

    void connectionOpened() {
        accepted.increment();
    }

    void datagramReceived() {
        datagramsIn.increment();
    }

    void datagramDropped() {
        datagramsDropped.increment();
    }

    /** Stream connections (TCP and Unix) open now. */
    public long openConnections() {
        return open.size();
    }

    /** Stream connections accepted since start. */
    public long acceptedConnections() {
        return accepted.sum();
    }

    public long datagramsReceived() {
        return datagramsIn.sum();
    }

    /** Datagrams that got no reply (truncated, or from a port that could start an echo loop). */
    public long datagramsDropped() {
        return datagramsDropped.sum();
    }
}
