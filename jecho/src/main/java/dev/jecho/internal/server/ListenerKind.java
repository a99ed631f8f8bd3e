package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.internal.transport.InheritedSocket;
import io.netty.channel.Channel;

import java.util.function.Consumer;

/**
 * One kind of listener, with everything that sets it apart from the others: TCP ({@link TcpListenerKind}: the
 * PROXY protocol, SO_REUSEADDR, TCP_NODELAY and SO_KEEPALIVE), Unix sockets ({@link UnixListenerKind}: the socket
 * file) and UDP ({@link UdpListenerKind}: datagrams, the receive buffer, the rate limit). What differs between I/O
 * engines is {@link dev.jecho.internal.transport.NettyTransport}'s.
 */
public sealed interface ListenerKind permits TcpListenerKind, UnixListenerKind, UdpListenerKind {

    /**
     * Opens a listener at {@code endpoint}.
     *
     * @param opened gets the listener's channel as soon as it is bound, so that it is closed at a stop even if
     *               opening fails after that
     * @return the endpoint as bound: port 0 replaced by the port the system chose
     */
    Endpoint open(Endpoint endpoint, Consumer<Channel> opened) throws ListenerException;

    /**
     * Serves a listening socket of this kind that the process inherited (socket activation): as {@link #open},
     * but nothing is bound and, for a Unix socket, the socket file is its supervisor's.
     *
     * @return the socket's endpoint
     */
    Endpoint adopt(InheritedSocket socket, Consumer<Channel> opened) throws ListenerException;

    /** Once the server's listener channels are closed: removes what the listeners left behind. */
    default void closed() {
    }
}
