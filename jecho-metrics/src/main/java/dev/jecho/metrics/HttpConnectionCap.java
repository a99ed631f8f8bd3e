package dev.jecho.metrics;

import io.netty.channel.Channel;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * At most {@code max} connections open on the metrics port. Past that, a new connection closes the oldest
 * one that is not being answered (waiting for its request, or idle between requests) instead of being
 * refused itself: whoever holds sockets open cannot lock out the health check that connects next, which
 * sends its request at once. Only when every open connection is being answered is the new one closed.
 *
 * <p>Touched only on the metrics event loop (the group has one thread), so it needs no locking.
 */
final class HttpConnectionCap {

    private final int max;
    /** Open connections, oldest first. */
    private final Set<Channel> open = new LinkedHashSet<>();

    HttpConnectionCap(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the metrics port needs room for one connection, got " + max);
        }
        this.max = max;
    }

    /** Counts {@code ch} in, making room if needed; false when there is none (the caller closes it). */
    boolean admit(Channel ch) {
        if (open.size() >= max && !evictOldestWaiting()) {
            return false;
        }
        open.add(ch);
        ch.closeFuture().addListener(f -> open.remove(ch));
        return true;
    }

    private boolean evictOldestWaiting() {
        for (Iterator<Channel> it = open.iterator(); it.hasNext(); ) {
            Channel oldest = it.next();
            if (!HttpDeadline.answering(oldest)) {
                it.remove();
                oldest.close();
                return true;
            }
        }
        return false;
    }

    /** Connections open now; for tests. */
    int open() {
        return open.size();
    }
}
