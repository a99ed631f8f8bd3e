package dev.jecho.internal.client;

import dev.jecho.internal.keys.Keys;
import dev.jecho.ClientConfig;
import dev.jecho.ClientException;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import dev.jecho.internal.protocol.handshake.HandshakeCrypto;
import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * UDP: one datagram in flight at a time. A reply that does not come within the timeout is asked for
 * again, up to the retry count, then the message counts as lost and the next one goes. A late reply to
 * an earlier message is recognised and ignored rather than taken for the current one.
 *
 * <p>With a key, every attempt goes as a tagged datagram with a fresh timestamp and nonce; a reply counts
 * only if its tag is right and it names one of the current message's nonces.
 *
 * <p>The current message's reply is checked as a stream's is ({@link Expected}): one that is not what the service
 * gives for the message (cut short by the network, changed, another service's) fails it.
 */
public final class DatagramConnection implements Connection {

    /** The largest payload of one UDP datagram over IPv4. */
    static final int MAX_DATAGRAM = 65507;
    private static final int RECENT = 8;

    private Channel channel;
    private InetSocketAddress server;
    private final long timeoutNanos;
    private final int retries;
    private final String peer;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final ArrayDeque<byte[]> recent = new ArrayDeque<>();
    private Outgoing current;
    private final SharedKey key;
    private final int maxMessage;
    /** What a reply to a message may be: tells a late reply to an earlier message from the current one's. */
    private final Expected expected;

    private final class Outgoing {
        final byte[] message;
        final CompletableFuture<byte[]> reply;
        int attempts;
        ScheduledFuture<?> timer;
        final java.util.List<byte[]> nonces = new java.util.ArrayList<>(2);

        Outgoing(byte[] message, CompletableFuture<byte[]> reply) {
            this.message = message;
            this.reply = reply;
        }
    }

    private DatagramConnection(ClientConfig config) {
        this.timeoutNanos = config.timeout().toNanos();
        this.retries = config.retries();
        this.peer = config.endpoint().toString();
        this.key = Keys.primaryOf(config.keys());
        this.expected = Expected.of(config.expect(), true);
        this.maxMessage = key == null ? MAX_DATAGRAM
                : MAX_DATAGRAM - TaggedDatagram.REQUEST_OVERHEAD - key.id().length();
    }

    /** @param sockets the socket options of {@code config}: the buffer sizes */
    public static DatagramConnection open(ClientConfig config, SocketOptions sockets, NettyTransport transport,
                                          EventLoopGroup group) throws ClientException {
        SocketAddress address = ConnectErrors.resolve(config.endpoint(), transport);
        DatagramConnection connection = new DatagramConnection(config);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, NettyTransport.datagramReceiveAllocator(65536))
                .handler(connection.new ReplyHandler());
        sockets.buffers(b::option);
        // Not connect()ed: Netty's epoll and NIO channels read a connected socket with recv(), which
        // cannot tell an empty datagram from none; replies are filtered by their sender instead.
        ChannelFuture bind = b.bind(new InetSocketAddress(config.localAddress(), 0)).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw ConnectErrors.describe(config.endpoint(), config.localAddress(), bind.cause());
        }
        connection.server = (InetSocketAddress) address;
        ChannelFuture connect = bind;
        connection.channel = connect.channel();
        return connection;
    }

    private final class ReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (packet.sender().equals(server)) {
                if (key == null) {
                    received(packet.content());
                } else {
                    receivedTagged(packet.content());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(cause);
        }
    }

    @Override
    public CompletableFuture<byte[]> send(byte[] message) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (message.length > maxMessage) {
            reply.completeExceptionally(new ClientException(ClientException.Reason.INVALID,
                    "message of " + message.length + " bytes does not fit in one " + (key == null ? "" : "authenticated ")
                            + "UDP datagram (at most " + maxMessage + ")"));
            return reply;
        }
        channel.eventLoop().execute(() -> {
            queue.add(new Outgoing(message, reply));
            if (current == null) {
                next();
            }
        });
        return reply;
    }

    private void next() {
        current = queue.poll();
        if (current != null) {
            transmit(current);
        }
    }

    private void transmit(Outgoing o) {
        o.attempts++;
        if (key != null) {
            byte[] nonce = new byte[TaggedDatagram.NONCE_LENGTH];
            HandshakeCrypto.random().nextBytes(nonce);
            o.nonces.add(nonce);
            channel.writeAndFlush(new DatagramPacket(
                    TaggedDatagram.seal(channel.alloc(), key, System.currentTimeMillis(), nonce, o.message), server));
        } else if (o.message.length == 0) {
            try {
                NettyTransport.sendEmptyDatagram(channel, server);
            } catch (IOException e) {
                failed(e);
                return;
            }
        } else {
            channel.writeAndFlush(new DatagramPacket(channel.alloc().buffer(o.message.length).writeBytes(o.message), server));
        }
        o.timer = channel.eventLoop().schedule(() -> timedOut(o), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void timedOut(Outgoing o) {
        if (o != current) {
            return;
        }
        if (o.attempts <= retries) {
            transmit(o);
            return;
        }
        remember(o.message);
        o.reply.completeExceptionally(new ClientException(ClientException.Reason.LOST,
                "no reply from " + peer + " after " + o.attempts + (o.attempts == 1 ? " attempt" : " attempts")
                        + " of " + ReplyAssembler.formatNanos(timeoutNanos) + " (lost)"));
        next();
    }

    private void received(ByteBuf content) {
        byte[] reply = ByteBufUtil.getBytes(content);
        if (current == null || isLateReply(reply)) {
            return;
        }
        answer(reply);
    }

    /** A tagged reply counts if it answers one of the current message's attempts; anything else is ignored. */
    private void receivedTagged(ByteBuf content) {
        if (current == null) {
            return;
        }
        for (byte[] nonce : current.nonces) {
            byte[] reply = TaggedDatagram.openReply(content, key, nonce);
            if (reply != null) {
                answer(reply);
                return;
            }
        }
    }

    /**
     * The current message's reply: delivered if it is what the service gives for the message, else a failure (a
     * datagram cut or changed on its way, a server of another service), as a stream's reply would be.
     */
    private void answer(byte[] reply) {
        Outgoing done = current;
        done.timer.cancel(false);
        remember(done.message);
        if (expected.matches(done.message, reply)) {
            done.reply.complete(reply);
        } else {
            done.reply.completeExceptionally(new ClientException(ClientException.Reason.AUTH,
                    expected.notTheReply(peer, done.message, reply, reply.length)
                    + (reply.length == done.message.length ? "" : ": " + reply.length + " bytes for " + done.message.length)
                    + "; cut or changed on its way, or the server runs another service)"));
        }
        next();
    }

    /** A reply that answers an earlier message, as the service gives it, and not the current one. */
    private boolean isLateReply(byte[] reply) {
        if (expected.matches(current.message, reply)) {
            return false;
        }
        for (byte[] earlier : recent) {
            if (expected.matches(earlier, reply)) {
                return true;
            }
        }
        return false;
    }

    private void remember(byte[] message) {
        if (recent.size() == RECENT) {
            recent.poll();
        }
        recent.add(message);
    }

    private void failed(Throwable cause) {
        if (current == null) {
            return;
        }
        ClientException e = cause instanceof PortUnreachableException || String.valueOf(cause.getMessage()).contains("refused")
                ? new ClientException(ClientException.Reason.UNREACHABLE, "nothing listens at " + peer + " (port unreachable)", cause)
                : new ClientException(ClientException.Reason.IO, "sending to " + peer + " failed: " + Causes.describe(cause), cause);
        Outgoing failed = current;
        if (failed.timer != null) {
            failed.timer.cancel(false);
        }
        failed.reply.completeExceptionally(e);
        next();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
