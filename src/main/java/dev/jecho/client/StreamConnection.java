package dev.jecho.client;

import dev.jecho.protocol.PipelineNames;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** A TCP or Unix-socket connection; replies are matched to requests by length, in order. */
final class StreamConnection implements Connection {

    private final Channel channel;

    private StreamConnection(Channel channel) {
        this.channel = channel;
    }

    static StreamConnection open(ClientConfig config, NettyTransport transport, EventLoopGroup group)
            throws ClientException {
        Endpoint endpoint = config.endpoint();
        long timeoutNanos = config.timeout().toNanos();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.streamChannel(endpoint.kind()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(PipelineNames.REPLIES, new ReplyAssembler(timeoutNanos, endpoint.toString()));
                    }
                });
        if (endpoint.kind() == Endpoint.Kind.TCP) {
            b.option(ChannelOption.TCP_NODELAY, config.tcpNoDelay());
            b.option(ChannelOption.SO_KEEPALIVE, config.keepAlive());
        }
        if (config.receiveBufferSize() > 0) {
            b.option(ChannelOption.SO_RCVBUF, config.receiveBufferSize());
        }
        if (config.sendBufferSize() > 0) {
            b.option(ChannelOption.SO_SNDBUF, config.sendBufferSize());
        }
        SocketAddress address = ConnectErrors.resolve(endpoint, transport);
        ChannelFuture connect = b.connect(address).awaitUninterruptibly();
        if (!connect.isSuccess()) {
            throw ConnectErrors.describe(endpoint, connect.cause());
        }
        return new StreamConnection(connect.channel());
    }

    @Override
    public CompletableFuture<byte[]> send(byte[] message) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (message.length == 0) {
            reply.complete(message); // nothing goes on the wire, so nothing comes back
            return reply;
        }
        channel.writeAndFlush(new ReplyAssembler.Request(message, reply)).addListener(f -> {
            if (!f.isSuccess()) {
                reply.completeExceptionally(new ClientException(ClientException.Reason.CLOSED,
                        "the connection is closed: " + f.cause().getMessage(), f.cause()));
            }
        });
        return reply;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
