package dev.jecho.internal.client;

import dev.jecho.ClientConfig;
import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.json.JsonValueFramer;
import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A TCP or Unix-socket connection. Raw bytes: replies are matched to requests in order, each as long as the
 * service's reply to it (see {@link Expected}). JSON:
 * one reply message per request, in order. With TLS and a secret, {@link #open} returns only once both
 * handshakes succeeded, so no message is ever sent to a server that has not proved itself.
 */
public final class StreamConnection implements Connection {

    private static final byte[] NEWLINE = {'\n'};

    private final Channel channel;
    private final String peer;

    private StreamConnection(Channel channel, String peer) {
        this.channel = channel;
        this.peer = peer;
    }

    /** @param sockets the socket options of {@code config} */
    public static StreamConnection open(ClientConfig config, SocketOptions sockets, NettyTransport transport,
                                        EventLoopGroup group) throws ClientException {
        Endpoint endpoint = config.endpoint();
        String peer = endpoint.toString();
        long timeoutNanos = config.timeout().toNanos();
        SessionStages session = SessionStages.of(config);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.streamChannel(endpoint.kind()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        NettyTransport.closeAtOnce(ch);
                        ChannelPipeline p = ch.pipeline();
                        ServerOpening opening = new ServerOpening(peer, !session.none());
                        p.addLast(PipelineNames.OPENING, opening);
                        session.configure(p);
                        if (config.legacyAuth() != null) {
                            p.addLast(PipelineNames.JSON_FRAMER, new JsonValueFramer(config.maxReply()));
                            p.addLast(PipelineNames.REPLIES, new MessageReplies(timeoutNanos, peer, new byte[0], 1, opening));
                        } else if (config.json()) {
                            p.addLast(PipelineNames.JSON_FRAMER, new LineBasedFrameDecoder(config.maxReply(), true, true));
                            p.addLast(PipelineNames.REPLIES, new MessageReplies(timeoutNanos, peer, NEWLINE, Integer.MAX_VALUE, opening));
                        } else {
                            // Behind jecho's handshake every message is a session record: the wire frames it.
                            p.addLast(PipelineNames.REPLIES, new ReplyAssembler(timeoutNanos, peer, opening,
                                    Expected.of(config.expect(), config.keys() != null)));
                        }
                    }
                });
        if (endpoint.kind() == Endpoint.Kind.TCP) {
            sockets.tcp(b::option);
        }
        sockets.buffers(b::option);
        SocketAddress address = ConnectErrors.resolve(endpoint, transport);
        ChannelFuture connect = (config.localAddress() == null ? b.connect(address)
                : b.connect(address, new InetSocketAddress(config.localAddress(), 0))).awaitUninterruptibly();
        if (!connect.isSuccess()) {
            throw ConnectErrors.describe(endpoint, config.localAddress(), connect.cause());
        }
        Channel channel = connect.channel();
        Future<Void> ready = session.ready(channel).awaitUninterruptibly();
        if (!ready.isSuccess()) {
            channel.close().awaitUninterruptibly();
            throw ready.cause() instanceof ClientException ce ? ce
                    : new ClientException(ClientException.Reason.IO, "connection to " + peer + " failed: " + ready.cause(), ready.cause());
        }
        return new StreamConnection(channel, peer);
    }

    @Override
    public CompletableFuture<byte[]> send(byte[] message) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (message.length == 0) {
            reply.complete(message); // nothing goes on the wire, so nothing comes back
            return reply;
        }
        ClientException failed = ConnectionFailure.of(channel);
        if (failed != null) {
            reply.completeExceptionally(failed); // the reason the connection ended, not a bare "closed"
            return reply;
        }
        channel.writeAndFlush(new ReplyAssembler.Request(message, reply)).addListener(f -> {
            if (!f.isSuccess()) {
                ClientException why = ConnectionFailure.of(channel);
                reply.completeExceptionally(why != null ? why : new ClientException(ClientException.Reason.CLOSED,
                        peer + " closed the connection before the message went out (it may have refused this client:"
                                + " its limits or penalties; see its log)", f.cause()));
            }
        });
        return reply;
    }

    @Override
    public CompletionStage<Void> closed() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed.minimalCompletionStage();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
