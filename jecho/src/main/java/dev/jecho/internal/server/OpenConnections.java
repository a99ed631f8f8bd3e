package dev.jecho.internal.server;

import io.netty.channel.Channel;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
}
