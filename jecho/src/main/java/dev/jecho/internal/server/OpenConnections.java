package dev.jecho.internal.server;

import dev.jecho.ConnectionInfo;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The stream connections open right now, each with its {@link ConnectionTracker}, for whatever must visit
 * each one (the timeout sweep, draining at shutdown, listing them for an operator). {@link ConnectionTracker}
 * keeps it current.
 */
public final class OpenConnections {

    private final Map<Channel, ConnectionTracker> channels = new ConcurrentHashMap<>();

    void add(Channel channel, ConnectionTracker tracker) {
        channels.put(channel, tracker);
    }

    void remove(Channel channel) {
        channels.remove(channel);
    }

    public int size() {
        return channels.size();
    }

    /** A live view, weakly consistent: safe to iterate while connections come and go, without a copy. */
    public Collection<Channel> channels() {
        return channels.keySet();
    }

    /** Visits every connection without copying the registry. */
    void forEach(BiConsumer<Channel, ConnectionTracker> action) {
        channels.forEach(action);
    }

    /** A copy, safe to keep while connections come and go. */
    public List<Channel> snapshot() {
        return List.copyOf(channels.keySet());
    }

    /**
     * Each connection, described on its own event loop: the list completes once every one has answered, or after
     * two seconds without those that have not. Never blocks the caller (the metrics loop).
     */
    public CompletableFuture<List<ConnectionInfo>> describe() {
        List<CompletableFuture<ConnectionInfo>> pending = new ArrayList<>();
        channels.forEach((channel, tracker) -> {
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
