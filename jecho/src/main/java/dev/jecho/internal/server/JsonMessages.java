package dev.jecho.internal.server;

import io.netty.util.internal.PlatformDependent;

/**
 * JSON mode on stream listeners (JSON Lines, or with the article's handshake values back to back) and what it
 * may hold: the longest message, and the unfinished messages of all connections together.
 *
 * @param enabled         JSON messages; off: the service sees the byte stream
 * @param maxLine         the longest message in bytes
 * @param maxPartialBytes the most bytes all connections together may hold in unfinished messages; 0: a
 *                        {@link #PARTIAL_SHARE_OF_DIRECT_MEMORY quarter} of Netty's direct-memory limit
 */
public record JsonMessages(boolean enabled, int maxLine, long maxPartialBytes) {

    /**
     * By default the unfinished JSON messages of all connections may hold this share of Netty's direct-memory
     * limit: the rest is left for replies, TLS and the allocator's own slack.
     */
    static final int PARTIAL_SHARE_OF_DIRECT_MEMORY = 4;

    public JsonMessages {
        if (maxLine < 16) {
            throw new IllegalArgumentException("max line must be at least 16 bytes, got " + maxLine);
        }
        if (maxPartialBytes < 0) {
            throw new IllegalArgumentException("max-partial-bytes cannot be negative, got " + maxPartialBytes);
        }
        if (maxPartialBytes > 0 && maxPartialBytes < maxLine) {
            throw new IllegalArgumentException("max-partial-bytes (" + maxPartialBytes + ") must be at least max-line ("
                    + maxLine + "): one message of the longest kind must fit");
        }
    }

    /**
     * The most bytes all connections together may hold in unfinished messages: as configured, or a quarter of
     * Netty's direct-memory limit, at least {@link #maxLine}. Past it, the connection whose message needs more
     * gets {@code server_busy} and is closed.
     */
    public long effectiveMaxPartialBytes() {
        return maxPartialBytes > 0 ? maxPartialBytes
                : Math.max(maxLine, PlatformDependent.maxDirectMemory() / PARTIAL_SHARE_OF_DIRECT_MEMORY);
    }
}
