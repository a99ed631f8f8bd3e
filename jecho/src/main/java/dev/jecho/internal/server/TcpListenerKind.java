package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.ListenerRecorder;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * TCP listeners: SO_REUSEADDR on the listener, so a restarted server binds its port at once; TCP_NODELAY,
 * SO_KEEPALIVE and the buffer sizes on the connections it accepts (SO_KEEPALIVE through the listener where
 * they inherit it: {@link SocketOptions#accepted}); and, behind a load balancer, the PROXY
 * protocol, which only TCP listeners speak.
 */
public final class TcpListenerKind implements ListenerKind {

    private final StreamListeners streams;
    private final SocketOptions sockets;
    private final ProxyProtocol proxy;

    /** @param proxy the PROXY protocol, or null when clients connect directly */
    public TcpListenerKind(StreamListeners streams, SocketOptions sockets, ProxyProtocol proxy) {
        this.streams = streams;
        this.sockets = sockets;
        this.proxy = proxy;
    }

    @Override
    public Endpoint open(Endpoint endpoint, Consumer<Channel> opened) throws ListenerException {
        SocketAddress address = streams.context().inetAddress(endpoint);
        return serve(endpoint, streams.binding(endpoint, address, opened));
    }

    @Override
    public Endpoint adopt(InheritedSocket socket, Consumer<Channel> opened) throws ListenerException {
        return serve(socket.endpoint(), b -> streams.context().adopt(socket, b, opened));
    }

    private Endpoint serve(Endpoint endpoint, ListenerContext.Opener<ServerBootstrap> opener) throws ListenerException {
        ListenerRecorder recorder = streams.context().recorderFor(endpoint);
        StreamListener listener = streams.listener(endpoint, recorder, proxy == null);
        ServerBootstrap b = streams.bootstrap(listener, proxy)
                .option(ChannelOption.SO_REUSEADDR, true);
        sockets.accepted(streams.context().transport().kind(), b::option, b::childOption);
        sockets.buffers(b::childOption);
        Channel channel = opener.open(b);
        return StreamListeners.bound(endpoint.withPort(ListenerContext.port(channel)), listener, recorder);
    }
}
