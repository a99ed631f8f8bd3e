package dev.jecho.internal.server;

import dev.jecho.ConnectionInfo;
import io.netty.channel.Channel;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The stream connections open right now, each with its {@link ConnectionTracker}, for whatever must visit
 * each one (the timeout sweep, draining at shutdown, listing them for an operator). {@link ConnectionTracker}
 * keeps it current.
 *
 * <p>A list threaded through the trackers themselves (newest first), not a map: a map would add an entry of
 * some 30 bytes to every connection for as long as it lives (docs/benchmarks.md, idle memory). Connections come
 * and go under a lock, on their event loops; a walk takes no lock and is weakly consistent, like a concurrent
 * map's: it sees every connection open throughout the walk, and may or may not see one that opens or closes
 * meanwhile. A tracker taken out keeps its link to the older ones, so a walk standing on it goes on.
 */
public final class OpenConnections {

    private final Object lock = new Object();
    /** The connection opened last; each links to the one opened before it. */
    private volatile ConnectionTracker newest;
    private volatile int size;

    void add(Channel channel, ConnectionTracker tracker) {
        synchronized (lock) {
            if (tracker.openChannel != null) {
                return;
            }
            tracker.openChannel = channel;
            ConnectionTracker older = newest;
            tracker.newerOpen = null;
            tracker.olderOpen = older;
            if (older != null) {
                older.newerOpen = tracker;
            }
            newest = tracker;
            size++;
        }
    }

    void remove(ConnectionTracker tracker) {
        synchronized (lock) {
            if (tracker.openChannel == null) {
                return; // never added (closed before it was active), or taken out already
            }
            tracker.openChannel = null;
            ConnectionTracker newer = tracker.newerOpen;
            ConnectionTracker older = tracker.olderOpen; // kept in the tracker: a walk standing on it goes on
            if (newer == null) {
                newest = older;
            } else {
                newer.olderOpen = older;
            }
            if (older != null) {
                older.newerOpen = newer;
            }
            tracker.newerOpen = null;
            size--;
        }
    }

    public int size() {
        return size;
    }

    /** A live view, weakly consistent: safe to iterate while connections come and go, without a copy. */
    public Collection<Channel> channels() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Channel> iterator() {
                return new Walk();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Visits every connection without copying the registry. */
    void forEach(BiConsumer<Channel, ConnectionTracker> action) {
        for (ConnectionTracker t = newest; t != null; t = t.olderOpen) {
            Channel channel = t.openChannel;
            if (channel != null) {
                action.accept(channel, t);
            }
        }
    }

    /** A copy, safe to keep while connections come and go. */
    public List<Channel> snapshot() {
        List<Channel> copy = new ArrayList<>();
        forEach((channel, tracker) -> copy.add(channel));
        return List.copyOf(copy);
    }

    /** From the newest connection to the oldest, skipping those taken out since the walk reached them. */
    private final class Walk implements Iterator<Channel> {
        private ConnectionTracker at = newest;
        private Channel next = advance();

        private Channel advance() {
            for (; at != null; at = at.olderOpen) {
                Channel channel = at.openChannel;
                if (channel != null) {
                    at = at.olderOpen;
                    return channel;
                }
            }
            return null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Channel next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Channel channel = next;
            next = advance();
            return channel;
        }
    }

    /**
     * Each connection, described on its own event loop: the list completes once every one has answered, or after
     * two seconds without those that have not. Never blocks the caller (the metrics loop).
     */
    public CompletableFuture<List<ConnectionInfo>> describe() {
        List<CompletableFuture<ConnectionInfo>> pending = new ArrayList<>();
        forEach((channel, tracker) -> {
            CompletableFuture<ConnectionInfo> described = new CompletableFuture<>();
            try {
                channel.eventLoop().execute(() -> {
                    try {
                        described.complete(tracker.describe(channel));
                    } catch (RuntimeException e) {
                        described.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) { // its event loop is shutting down
                described.completeExceptionally(e);
            }
            pending.add(described);
        });
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, 2, TimeUnit.SECONDS)
                .handle((all, failed) -> pending.stream()
                        .filter(f -> f.isDone() && !f.isCompletedExceptionally())
                        .map(CompletableFuture::join)
                        .toList());
    }
}
