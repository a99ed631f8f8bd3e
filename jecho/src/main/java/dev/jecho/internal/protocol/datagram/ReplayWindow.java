package dev.jecho.internal.protocol.datagram;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Freshness for authenticated datagrams: a timestamp within {@link #windowMillis()} of the server's clock,
 * and a nonce not seen before. Nonces are remembered for twice the window (after that, their timestamp
 * alone refuses them), at most {@code capacity} of them; when full, new datagrams are refused rather
 * than old nonces forgotten (a flood cannot open a replay gap). Thread-safe: the UDP listeners of a server,
 * on their own event loops, share one per key ({@link ReplayWindows}).
 */
public final class ReplayWindow {

    public static final long DEFAULT_WINDOW_MILLIS = 30_000;
    public static final int DEFAULT_CAPACITY = 100_000;

    private record Seen(ByteBuffer nonce, long at) {
    }

    private final long windowMillis;
    private final int capacity;
    private final Set<ByteBuffer> nonces = new HashSet<>();
    private final ArrayDeque<Seen> order = new ArrayDeque<>();

    public ReplayWindow(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** True if a datagram with this timestamp and nonce is fresh; it is then remembered. */
    public synchronized boolean admit(long timestampMillis, byte[] nonce, long nowMillis) {
        if (Math.abs(nowMillis - timestampMillis) > windowMillis) {
            return false;
        }
        forgetOlderThan(nowMillis - 2 * windowMillis);
        ByteBuffer key = ByteBuffer.wrap(nonce.clone());
        if (nonces.size() >= capacity || !nonces.add(key)) {
            return false;
        }
        order.add(new Seen(key, nowMillis));
        return true;
    }

    private void forgetOlderThan(long cutoff) {
        Seen oldest;
        while ((oldest = order.peek()) != null && oldest.at() < cutoff) {
            order.poll();
            nonces.remove(oldest.nonce());
        }
    }

    /** Nonces remembered now. */
    public synchronized int size() {
        return nonces.size();
    }
}
