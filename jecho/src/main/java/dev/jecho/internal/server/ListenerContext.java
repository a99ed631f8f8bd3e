package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.ListenerRecorder;
import dev.jecho.MetricsRecorder;
import dev.jecho.Service;
import dev.jecho.internal.transport.BindFailures;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * What every listener of a server shares, whatever its kind, and the steps every kind takes: find the address,
 * name the listener's metrics, bind.
 *
 * @param recorder where the listeners report; each gets its own {@link ListenerRecorder}
 * @param service  what each message gets back
 * @param faults   the faults the server injects, live
 */
public record ListenerContext(EventLoopGroup group, NettyTransport transport, ServerCounters stats,
                              MetricsRecorder recorder, Service service, FaultSet faults) {

    /** The metrics of the listener at {@code endpoint}, labelled with its endpoint as configured and the service. */
    ListenerRecorder recorderFor(Endpoint endpoint) {
        return recorder.listener(endpoint.toString(), service.name());
    }

    /** The address of a TCP or UDP listener; a host that does not resolve is the listener's error. */
    SocketAddress inetAddress(Endpoint endpoint) throws ListenerException {
        SocketAddress address;
        try {
            address = transport.socketAddress(endpoint);
        } catch (IllegalArgumentException e) {
            throw BindFailures.listenerException(endpoint, e);
        }
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new ListenerException(endpoint, "unknown host '" + endpoint.host() + "'", null);
        }
        return address;
    }

    /** Binds a listener; once bound, its channel goes to {@code opened}: the server's to close, whatever happens next. */
    static Channel bind(Endpoint endpoint, AbstractBootstrap<?, ?> bootstrap, SocketAddress address, Consumer<Channel> opened)
            throws ListenerException {
        return opened(endpoint, bootstrap.bind(address), opened);
    }

    /**
     * Serves an inherited listening socket: registers a channel over it instead of binding one.
     *
     * @param <C> the bootstrap's channel type: {@code ServerChannel} for TCP and Unix, {@code Channel} for UDP
     */
    @SuppressWarnings("unchecked")
    <C extends Channel> Channel adopt(InheritedSocket socket, AbstractBootstrap<?, C> bootstrap, Consumer<Channel> opened)
            throws ListenerException {
        Channel channel = transport.adopt(socket);
        if (channel == null) {
            throw new ListenerException(socket.endpoint(), "a socket handed over (descriptor " + socket.fd() + ") needs the"
                    + " epoll transport, not " + transport + " (use --transport epoll or auto)", null);
        }
        return opened(socket.endpoint(), bootstrap.channelFactory((ChannelFactory<C>) () -> (C) channel).register(), opened);
    }

    /**
     * Waits for a listener's bind or registration; once it succeeded, its channel goes to {@code opened}. (On a
     * failure Netty has closed the channel.)
     */
    private static Channel opened(Endpoint endpoint, ChannelFuture future, Consumer<Channel> opened) throws ListenerException {
        if (!future.awaitUninterruptibly().isSuccess()) {
            throw BindFailures.listenerException(endpoint, future.cause());
        }
        opened.accept(future.channel());
        return future.channel();
    }

    /** How a listener gets its socket: bound afresh, or inherited and adopted. */
    @FunctionalInterface
    interface Opener<B> {
        Channel open(B bootstrap) throws ListenerException;
    }

    /** The port a TCP or UDP listener was bound to (the system's choice for port 0). */
    static int port(Channel channel) {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }
}
