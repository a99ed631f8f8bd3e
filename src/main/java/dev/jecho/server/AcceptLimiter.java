package dev.jecho.server;

import dev.jecho.protocol.PeerAddress;
import dev.jecho.server.ServerStats.Refusal;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --max-connections}, on every stream listener of a server: an accepted socket past the cap, or
 * accepted while the server is stopping, is closed before it gets a pipeline, and counted. Connections
 * already open are untouched. Sits in the listener's own pipeline, ahead of Netty's acceptor.
 */
@ChannelHandler.Sharable
final class AcceptLimiter extends ChannelInboundHandlerAdapter {

    /** File descriptors left for the JVM, the listeners and the logs when the cap is fitted to the limit. */
    static final int RESERVED_FILES = 256;

    private final int max;
    private final ServerStats stats;
    private final ConnectionLog log;
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener release = f -> open.decrementAndGet();
    private volatile boolean stopping;

    AcceptLimiter(int max, ServerStats stats, ConnectionLog log) {
        this.max = max;
        this.stats = stats;
        this.log = log;
    }

    /**
     * The cap in force: the configured one, lowered to fit below the process's open-file limit.
     *
     * @param openFileLimit the process's limit, or a negative number when unknown
     */
    static int effectiveMax(int configured, long openFileLimit) {
        if (openFileLimit <= 0) {
            return configured;
        }
        long fits = Math.max(1, openFileLimit - RESERVED_FILES);
        return (int) Math.min(configured, fits);
    }

    /** This process's open-file limit ({@code ulimit -n}), or -1 where the JVM cannot tell. */
    static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** From now on every accepted socket is closed at once. */
    void stop() {
        stopping = true;
    }

    int max() {
        return max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        Refusal refusal;
        String reason;
        if (stopping) {
            refusal = Refusal.STOPPING;
            reason = "the server is stopping";
        } else if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refusal = Refusal.MAX_CONNECTIONS;
            reason = max + " connections open, --max-connections";
        } else {
            child.closeFuture().addListener(release);
            ctx.fireChannelRead(child);
            return;
        }
        stats.refused(refusal);
        log.refused(child.remoteAddress() instanceof InetSocketAddress ? "tcp" : "unix", PeerAddress.describe(child), reason);
        child.unsafe().closeForcibly();
    }
}
