package dev.jecho.internal.server;

import dev.jecho.ServerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The server-wide counters behind {@link ServerStats}: updated from the event loops, cheap to update. */
public final class ServerCounters implements ServerStats {

    private final LongAdder accepted = new LongAdder();
    private final OpenConnections open;
    private final LongAdder bytesIn = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private final Map<Timeout, LongAdder> timedOut = new EnumMap<>(Timeout.class);
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsDropped = new LongAdder();
    private final LongAdder datagramsTooLarge = new LongAdder();
    private final LongAdder datagramsRateLimited = new LongAdder();

    public ServerCounters(OpenConnections open) {
        this.open = open;
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
        for (Timeout t : Timeout.values()) {
            timedOut.put(t, new LongAdder());
        }
    }

    public void connectionOpened() {
        accepted.increment();
    }

    public void connectionClosed(long bytesRead) {
        bytesIn.add(bytesRead);
    }

    public void refused(Refusal why) {
        refused.get(why).increment();
    }

    public void timedOut(Timeout why) {
        timedOut.get(why).increment();
    }

    public void datagramReceived() {
        datagramsIn.increment();
    }

    /** A datagram that could start an echo loop. */
    public void datagramDropped() {
        datagramsDropped.increment();
    }

    public void datagramTooLarge() {
        datagramsTooLarge.increment();
        datagramsDropped.increment();
    }

    public void datagramRateLimited() {
        datagramsRateLimited.increment();
        datagramsDropped.increment();
    }

    /** Stream connections (TCP and Unix) open now. */
    @Override
    public long openConnections() {
        return open.size();
    }

    /** Stream connections accepted since start (refused ones included once they had a pipeline). */
    @Override
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Bytes the service read on stream connections that have closed. */
    @Override
    public long bytesReadByClosedConnections() {
        return bytesIn.sum();
    }

    /** Connections refused for any reason. */
    @Override
    public long refusedConnections() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public long refusedConnections(Refusal why) {
        return refused.get(why).sum();
    }

    @Override
    public long timedOutConnections(Timeout why) {
        return timedOut.get(why).sum();
    }

    /**
     * Reply bytes waiting to be sent, on all stream connections together (what Netty's outbound buffers hold,
     * per-message overhead included). Walks every connection: for a gauge, not a hot path.
     */
    @Override
    public long pendingReplyBytes() {
        long sum = 0;
        for (Channel ch : open.channels()) {
            sum += pendingBytes(ch);
        }
        return sum;
    }

    /** The most reply bytes waiting on any one connection now; see {@link #pendingReplyBytes()}. */
    @Override
    public long largestPendingReplyBytes() {
        long max = 0;
        for (Channel ch : open.channels()) {
            max = Math.max(max, pendingBytes(ch));
        }
        return max;
    }

    public static long pendingBytes(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Override
    public long datagramsReceived() {
        return datagramsIn.sum();
    }

    /** Datagrams that got no reply, for any reason (loop guard, too large, rate limit). */
    @Override
    public long datagramsDropped() {
        return datagramsDropped.sum();
    }

    /** Datagrams larger than {@code --max-datagram}: dropped, never answered truncated. */
    @Override
    public long datagramsTooLarge() {
        return datagramsTooLarge.sum();
    }

    /** Datagrams over their source's rate. */
    @Override
    public long datagramsRateLimited() {
        return datagramsRateLimited.sum();
    }
}
