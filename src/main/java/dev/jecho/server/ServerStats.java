package dev.jecho.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters that the server itself needs (open connections, refusals, drops); cheap to update. */
public final class ServerStats {

    /** Why a stream connection was refused (closed at once, before it was served). */
    public enum Refusal {
        /** {@code --max-connections} connections were open. */
        MAX_CONNECTIONS,
        /** The source had {@code --max-connections-per-ip} connections open. */
        PER_IP,
        /** {@code --max-startups}: too many unauthenticated connections, all sources together. */
        STARTUPS,
        /** The source had {@code --max-startups-per-ip} unauthenticated connections open. */
        STARTUPS_PER_IP,
        /** The source is serving a penalty. */
        PENALTY,
        /** The server is stopping. */
        STOPPING
    }

    /** Why the server closed a connection that it had been serving. */
    public enum Timeout {
        /** Nothing sent, nothing to receive, for {@code --idle-timeout}. */
        IDLE,
        /** Replies unsent for {@code --slow-client-timeout}: the client does not read. */
        SLOW_CLIENT,
        /** Not authenticated within {@code --auth-timeout}: the handshake's deadline closed it. */
        HANDSHAKE
    }

    private final LongAdder accepted = new LongAdder();
    private final OpenConnections open;
    private final LongAdder bytesIn = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private final Map<Timeout, LongAdder> timedOut = new EnumMap<>(Timeout.class);
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsDropped = new LongAdder();
    private final LongAdder datagramsTooLarge = new LongAdder();
    private final LongAdder datagramsRateLimited = new LongAdder();

    ServerStats(OpenConnections open) {
        this.open = open;
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
        for (Timeout t : Timeout.values()) {
            timedOut.put(t, new LongAdder());
        }
    }

    void connectionOpened() {
        accepted.increment();
    }

    void connectionClosed(long bytesRead) {
        bytesIn.add(bytesRead);
    }

    void refused(Refusal why) {
        refused.get(why).increment();
    }

    void timedOut(Timeout why) {
        timedOut.get(why).increment();
    }

    void datagramReceived() {
        datagramsIn.increment();
    }

    /** A datagram that could start an echo loop. */
    void datagramDropped() {
        datagramsDropped.increment();
    }

    void datagramTooLarge() {
        datagramsTooLarge.increment();
        datagramsDropped.increment();
    }

    void datagramRateLimited() {
        datagramsRateLimited.increment();
        datagramsDropped.increment();
    }

    /** Stream connections (TCP and Unix) open now. */
    public long openConnections() {
        return open.size();
    }

    /** Stream connections accepted since start (refused ones included once they had a pipeline). */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Bytes the service read on stream connections that have closed. */
    public long bytesReadByClosedConnections() {
        return bytesIn.sum();
    }

    /** Connections refused for any reason. */
    public long refusedConnections() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long refusedConnections(Refusal why) {
        return refused.get(why).sum();
    }

    public long timedOutConnections(Timeout why) {
        return timedOut.get(why).sum();
    }

    /**
     * Reply bytes waiting to be sent, on all stream connections together (what Netty's outbound buffers hold,
     * per-message overhead included). Walks every connection: for a gauge, not a hot path.
     */
    public long pendingReplyBytes() {
        long sum = 0;
        for (Channel ch : open.channels()) {
            sum += pendingBytes(ch);
        }
        return sum;
    }

    /** The most reply bytes waiting on any one connection now; see {@link #pendingReplyBytes()}. */
    public long largestPendingReplyBytes() {
        long max = 0;
        for (Channel ch : open.channels()) {
            max = Math.max(max, pendingBytes(ch));
        }
        return max;
    }

    static long pendingBytes(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    public long datagramsReceived() {
        return datagramsIn.sum();
    }

    /** Datagrams that got no reply, for any reason (loop guard, too large, rate limit). */
    public long datagramsDropped() {
        return datagramsDropped.sum();
    }

    /** Datagrams larger than {@code --max-datagram}: dropped, never answered truncated. */
    public long datagramsTooLarge() {
        return datagramsTooLarge.sum();
    }

    /** Datagrams over their source's rate. */
    public long datagramsRateLimited() {
        return datagramsRateLimited.sum();
    }
}
