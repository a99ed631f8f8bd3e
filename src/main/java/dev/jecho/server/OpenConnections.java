package dev.jecho.server;

import io.netty.channel.Channel;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream connections open right now, for whatever must visit each one (draining at shutdown, listing
 * them for an operator). {@link ConnectionTracker} keeps it current.
 */
final class OpenConnections {

    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    void add(Channel channel) {
        channels.add(channel);
    }

    void remove(Channel channel) {
        channels.remove(channel);
    }

    int size() {
        return channels.size();
    }

    /** A copy, safe to iterate while connections come and go. */
    List<Channel> snapshot() {
        return List.copyOf(channels);
    }
}
