package dev.jecho.internal.server;

import dev.jecho.internal.protocol.PeerAddress;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The connect and disconnect lines, one logger for the whole server. At most {@link #LINES_PER_SECOND}
 * lines a second are written, so a connection storm cannot turn into a logging storm; what is held back
 * is counted and reported in one summary line. A reason may quote the peer (an exception's message): it is
 * written {@link PeerText#bounded bounded}, so no line is longer than a line should be.
 */
public final class ConnectionLog {

    static final Logger LOG = LoggerFactory.getLogger("dev.jecho.connections");
    static final int LINES_PER_SECOND = 50;

    private final boolean enabled;
    private final AtomicLong suppressed = new AtomicLong();
    private long windowStart;
    private int linesInWindow;

    public ConnectionLog(boolean enabled) {
        this.enabled = enabled;
    }

    /** The peer's address is formatted only for a line that will be written. */
    void connected(String listener, Channel channel) {
        if (admit()) {
            String peer = PeerAddress.describe(channel);
            LOG.atInfo().setMessage("{} {} connected").addArgument(listener).addArgument(peer)
                    .addKeyValue("event", "connected").addKeyValue("listener", listener).addKeyValue("peer", peer)
                    .log();
        }
    }

    /** @param faults the faults the connection met ({@code --fault}), or null */
    void closed(String listener, Channel channel, long messages, long bytes, long durationNanos, String closeReason,
                String faults) {
        if (admit()) {
            String peer = PeerAddress.describe(channel);
            String reason = PeerText.bounded(closeReason);
            var line = LOG.atInfo().setMessage(faults == null ? "{} {} closed after {} {}, {} {} ({}, {})"
                            : "{} {} closed after {} {}, {} {} ({}, {}; faults: {})")
                    .addArgument(listener).addArgument(peer)
                    .addArgument(messages).addArgument(messages == 1 ? "message" : "messages")
                    .addArgument(bytes).addArgument(bytes == 1 ? "byte" : "bytes")
                    .addArgument(reason).addArgument(formatDuration(durationNanos));
            if (faults != null) {
                line = line.addArgument(faults).addKeyValue("faults", faults);
            }
            line.addKeyValue("event", "closed").addKeyValue("listener", listener).addKeyValue("peer", peer)
                    .addKeyValue("messages_in", messages).addKeyValue("bytes_in", bytes).addKeyValue("reason", reason)
                    .addKeyValue("duration_ms", durationNanos / 1_000_000)
                    .log();
        }
    }

    /** A connection closed at once, before it was served (a limit was reached). */
    void refused(String listener, Channel channel, String reason) {
        if (admit()) {
            LOG.info("{} {} refused: {}", listener, PeerAddress.describe(channel), PeerText.bounded(reason));
        }
    }

    void refused(String listener, String peer, String reason) {
        if (admit()) {
            LOG.info("{} {} refused: {}", listener, peer, PeerText.bounded(reason));
        }
    }

    /** A source's penalty became active: its connections are refused until it runs out. */
    void penalised(String source, String duration, String reason) {
        if (admit()) {
            LOG.info("penalising {} for {}: {}", source, duration, reason);
        }
    }

    /** Writes the summary of held-back lines, if any; called once a second. */
    public void reportSuppressed() {
        long n = suppressed.getAndSet(0);
        if (n > 0) {
            LOG.info("{} connection log lines held back (more than {} a second)", n, LINES_PER_SECOND);
        }
    }

    private boolean admit() {
        if (!enabled || !LOG.isInfoEnabled()) {
            return false;
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (now - windowStart >= 1_000_000_000L) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (linesInWindow < LINES_PER_SECOND) {
                linesInWindow++;
                return true;
            }
        }
        suppressed.incrementAndGet();
        return false;
    }

    public static String formatDuration(long nanos) {
        double seconds = nanos / 1e9;
        if (seconds < 1) {
            return String.format(java.util.Locale.ROOT, "%.0f ms", seconds * 1000);
        }
        if (seconds < 120) {
            return String.format(java.util.Locale.ROOT, "%.1f s", seconds);
        }
        return String.format(java.util.Locale.ROOT, "%.0f min", seconds / 60);
    }
}
