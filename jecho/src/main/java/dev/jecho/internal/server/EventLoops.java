package dev.jecho.internal.server;

import dev.jecho.Transport;

import java.util.Objects;

/**
 * The server's event loops: the I/O transport asked for and how many threads run it.
 *
 * @param transport the transport asked for; {@code AUTO} takes epoll where it loads, else NIO
 * @param threads   event loop threads; 0: one per two CPUs ({@link #effectiveThreads()})
 */
public record EventLoops(Transport transport, int threads) {

    public EventLoops {
        Objects.requireNonNull(transport, "transport");
        if (threads < 0) {
            throw new IllegalArgumentException("ioThreads must be 0 (one per two CPUs) or more, got " + threads);
        }
    }

    /**
     * Event loop threads: as configured, or by default one per two CPUs (at least one). Measured on 2 CPUs shared
     * with the load generator (docs/benchmarks.md), one thread served more requests and connections than two: the
     * kernel's network stack and the clients need the other CPU.
     */
    public int effectiveThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
