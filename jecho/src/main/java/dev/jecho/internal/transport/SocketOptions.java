package dev.jecho.internal.transport;

import dev.jecho.Transport;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;

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

    /**
     * SO_KEEPALIVE as Netty's native listener channels take it: they know no {@link ChannelOption#SO_KEEPALIVE},
     * but set any integer option by its numbers (SOL_SOCKET 1, SO_KEEPALIVE 9: Linux on every architecture
     * Netty's native transports are built for).
     */
    static final ChannelOption<Integer> LISTENER_KEEPALIVE = new IntegerUnixChannelOption("SO_KEEPALIVE", 1, 9);

    /**
     * Sets TCP_NODELAY and SO_KEEPALIVE: for TCP sockets only. Each is a system call on every new connection,
     * so each is set only where it changes something: Netty's socket channels turn TCP_NODELAY on as they are
     * made (on every transport), and a socket starts with SO_KEEPALIVE off.
     */
    public void tcp(Setter setter) {
        noDelay(setter);
        if (keepAlive) {
            setter.set(ChannelOption.SO_KEEPALIVE, true);
        }
    }

    /**
     * Sets TCP_NODELAY and SO_KEEPALIVE for the connections a TCP listener accepts. On a native transport
     * (Linux), SO_KEEPALIVE goes once on the listening socket instead of on each connection: Linux gives every
     * socket it accepts the listener's options, and starts its keepalive timer. NIO's listener takes no
     * SO_KEEPALIVE (nor do all systems NIO runs on copy it): there each connection gets it.
     *
     * @param listener the listener's own options ({@code serverBootstrap::option})
     * @param child    the accepted connections' ({@code serverBootstrap::childOption})
     */
    public void accepted(Transport transport, Setter listener, Setter child) {
        if (transport == Transport.NIO) {
            tcp(child);
        } else {
            noDelay(child); // Netty turns it on in each new channel, after accept: only "off" goes per connection
            if (keepAlive) {
                listener.set(LISTENER_KEEPALIVE, 1);
            }
        }
    }

    /** TCP_NODELAY, where it is not already as asked: Netty's socket channels start with it on. */
    private void noDelay(Setter setter) {
        if (!tcpNoDelay) {
            setter.set(ChannelOption.TCP_NODELAY, false);
        }
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
