package dev.jecho.internal.server;

import dev.jecho.ServerStats;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.internal.protocol.PeerAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --max-connections}, shared by every stream listener of a server: an accepted socket past the cap,
 * or accepted while the server is stopping, is closed before it gets a pipeline, and counted (in
 * {@link ServerStats}, and in the metrics of the listener it came to). Connections already open are
 * untouched. Each listener has its own {@link #gate gate} in its pipeline, ahead of Netty's acceptor; the
 * count is the server's.
 */
public final class AcceptLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptLimiter.class);

    /** File descriptors left for the JVM, the listeners and the logs when the cap is fitted to the limit. */
    static final int RESERVED_FILES = 256;

    /** The line of /proc/PID/limits with the open-file limit. */
    private static final String OPEN_FILES = "Max open files";

    private final int max;
    private final ServerCounters stats;
    private final ConnectionLog log;
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener release = f -> open.decrementAndGet();
    private volatile boolean stopping;

    AcceptLimiter(int max, ServerCounters stats, ConnectionLog log) {
        this.max = max;
        this.stats = stats;
        this.log = log;
    }

    /** The server's limiter: {@code --max-connections}, lowered (with a warning) to fit the open-file limit. */
    public static AcceptLimiter fitted(int maxConnections, ServerCounters stats, ConnectionLog log) {
        long openFiles = openFileLimit();
        int max = effectiveMax(maxConnections, openFiles);
        if (max < maxConnections) {
            LOG.warn("max-connections lowered from {} to {}: the open-file limit is {} (raise it with ulimit -n)",
                    maxConnections, max, openFiles);
        }
        return new AcceptLimiter(max, stats, log);
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

    /**
     * This process's open-file limit ({@code ulimit -n}), or -1 where it cannot be told or there is none: the
     * soft limit in /proc/self/limits, else (not Linux) the JVM's management bean, whose first use costs a
     * server's start some 10-40 ms (the platform's management beans, the container's metrics).
     */
    static long openFileLimit() {
        try {
            return softOpenFileLimit(Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // no /proc: ask the JVM
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** The soft limit on the "Max open files" line of a /proc/PID/limits, or -1 (unlimited, or no such line). */
    static long softOpenFileLimit(List<String> limits) {
        for (String line : limits) {
            if (line.startsWith(OPEN_FILES)) {
                String soft = line.substring(OPEN_FILES.length()).trim().split("\\s+")[0];
                try {
                    return Long.parseLong(soft);
                } catch (NumberFormatException unlimited) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** From now on every accepted socket is closed at once. */
    public void stop() {
        stopping = true;
    }

    /** The handler for one listener's own pipeline: refusals are logged and counted under its name. */
    ChannelHandler gate(StreamListener listener) {
        return new Gate(listener);
    }

    private final class Gate extends ChannelInboundHandlerAdapter {
        private final StreamListener listener;

        Gate(StreamListener listener) {
            this.listener = listener;
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
            listener.recorder().connectionRefused(refusal.name().toLowerCase(Locale.ROOT));
            log.refused(listener.name(), PeerAddress.describe(child), reason);
            child.unsafe().closeForcibly();
        }
    }
}
