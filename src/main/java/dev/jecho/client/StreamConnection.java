package dev.jecho.client;

import dev.jecho.protocol.PipelineNames;
import dev.jecho.protocol.handshake.ClientHandshakeHandler;
import dev.jecho.protocol.handshake.HandshakeException;
import dev.jecho.protocol.handshake.LegacyClientHandshake;
import dev.jecho.protocol.json.JsonValueFramer;
import dev.jecho.keys.SharedKey;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP or Unix-socket connection. Raw bytes: replies are matched to requests by length, in order. JSON:
 * one reply message per request, in order. With TLS and a secret, {@link #open} returns only once both
 * handshakes succeeded, so no message is ever sent to a server that has not proved itself.
 */
final class StreamConnection implements Connection {

    private static final byte[] NEWLINE = {'\n'};

    private final Channel channel;

    private StreamConnection(Channel channel) {
        this.channel = channel;
    }

    static StreamConnection open(ClientConfig config, NettyTransport transport, EventLoopGroup group)
            throws ClientException {
        Endpoint endpoint = config.endpoint();
        String peer = endpoint.toString();
        long timeoutNanos = config.timeout().toNanos();
        SharedKey key = config.keys() == null ? null : config.keys().primary();
        ChannelHandler handshake = key == null ? null
                : config.legacyAuth() != null ? new LegacyClientHandshake(key, config.legacyAuth(), peer)
                : new ClientHandshakeHandler(key, peer);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.streamChannel(endpoint.kind()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (config.tls() != null) {
                            p.addLast(PipelineNames.SSL, config.tls().newHandler(ch.alloc(),
                                    endpoint.kind() == Endpoint.Kind.UNIX ? null : endpoint.host(), endpoint.port()));
                        }
                        if (handshake != null) {
                            p.addLast(PipelineNames.HANDSHAKE, handshake);
                        }
                        if (config.legacyAuth() != null) {
                            p.addLast(PipelineNames.JSON_FRAMER, new JsonValueFramer(config.maxReply()));
                            p.addLast(PipelineNames.REPLIES, new MessageReplies(timeoutNanos, peer, new byte[0], 1));
                        } else if (config.json()) {
                            p.addLast(PipelineNames.JSON_FRAMER, new LineBasedFrameDecoder(config.maxReply(), true, true));
                            p.addLast(PipelineNames.REPLIES, new MessageReplies(timeoutNanos, peer, NEWLINE, Integer.MAX_VALUE));
                        } else {
                            p.addLast(PipelineNames.REPLIES, new ReplyAssembler(timeoutNanos, peer));
                        }
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
        ChannelFuture connect = (config.localAddress() == null ? b.connect(address)
                : b.connect(address, new InetSocketAddress(config.localAddress(), 0))).awaitUninterruptibly();
        if (!connect.isSuccess()) {
            throw ConnectErrors.describe(endpoint, config.localAddress(), connect.cause());
        }
        Channel channel = connect.channel();
        try {
            awaitHandshakes(config, channel, handshake);
        } catch (ClientException e) {
            channel.close().awaitUninterruptibly();
            throw e;
        }
        return new StreamConnection(channel);
    }

    /** Waits for TLS, then for authentication, within the handshake timeout. */
    private static void awaitHandshakes(ClientConfig config, Channel channel, ChannelHandler handshake) throws ClientException {
        String peer = config.endpoint().toString();
        long deadline = System.nanoTime() + config.handshakeTimeout().toNanos();
        String limit = ReplyAssembler.formatNanos(config.handshakeTimeout().toNanos());
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl != null) {
            if (!ssl.handshakeFuture().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new ClientException(ClientException.Reason.TIMEOUT,
                        "no TLS handshake from " + peer + " within " + limit + " (does the server use --tls?)");
            }
            if (!ssl.handshakeFuture().isSuccess()) {
                throw TlsErrors.describe(peer, config.tls(), ssl.handshakeFuture().cause());
            }
        }
        CompletableFuture<Void> result = handshake instanceof ClientHandshakeHandler h ? h.result()
                : handshake instanceof LegacyClientHandshake l ? l.result() : null;
        if (result == null) {
            return;
        }
        try {
            result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ClientException(ClientException.Reason.TIMEOUT, "no handshake from " + peer + " within " + limit
                    + (config.legacyAuth() == null
                    ? " (a server without a secret says nothing first: does it have --secret-file?)"
                    : " (does the server speak the article's handshake?)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Reason.IO, "interrupted during the handshake", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HandshakeException he) {
                throw new ClientException(he.kind() == HandshakeException.Kind.CLOSED
                        ? ClientException.Reason.CLOSED : ClientException.Reason.AUTH, he.getMessage(), he);
            }
            throw new ClientException(ClientException.Reason.IO, "handshake with " + peer + " failed: " + cause, cause);
        }
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
