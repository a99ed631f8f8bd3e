package dev.jecho.internal.transport;

import io.netty.channel.ChannelOption;

/**
 * The socket options a client's connection and a server's accepted connections have in common, checked here
 * once: TCP_NODELAY and SO_KEEPALIVE, which only TCP has, and the kernel's buffer sizes, which every kind of
 * socket has. Which of them a socket gets is its kind's business: {@link #tcp} and {@link #buffers} set them
 * through whatever the caller names, a bootstrap's own options or those of the connections a server accepts.
 *
 * @param tcpNoDelay        TCP_NODELAY: each write goes out at once instead of waiting to fill a segment
 * @param keepAlive         SO_KEEPALIVE: the kernel probes a silent peer, so a vanished one is found, eventually
 * @param receiveBufferSize SO_RCVBUF in bytes; 0 keeps the kernel's default and its auto-tuning
 * @param sendBufferSize    SO_SNDBUF in bytes; 0 keeps the kernel's default and its auto-tuning
 */
public record SocketOptions(boolean tcpNoDelay, boolean keepAlive, int receiveBufferSize, int sendBufferSize) {

    public SocketOptions {
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be 0 (kernel default) or more");
        }
    }

    /** Where an option goes: {@code bootstrap::option}, or {@code serverBootstrap::childOption}. */
    @FunctionalInterface
    public interface Setter {
        <T> void set(ChannelOption<T> option, T value);
    }

    /** Sets TCP_NODELAY and SO_KEEPALIVE: for TCP sockets only. */
    public void tcp(Setter setter) {
        setter.set(ChannelOption.TCP_NODELAY, tcpNoDelay);
        setter.set(ChannelOption.SO_KEEPALIVE, keepAlive);
    }

    /** Sets the buffer sizes that are not the kernel's default. */
    public void buffers(Setter setter) {
        if (receiveBufferSize > 0) {
            setter.set(ChannelOption.SO_RCVBUF, receiveBufferSize);
        }
        if (sendBufferSize > 0) {
            setter.set(ChannelOption.SO_SNDBUF, sendBufferSize);
        }
    }
}
