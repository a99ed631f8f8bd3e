package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.SharedKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server and a client handshake handler in two EmbeddedChannels, wired back to back by moving what
 * one writes into the other. No sockets, no sleeps; time moves only when a test moves it.
 */
final class HandshakePair {

    static final long DEADLINE = TimeUnit.SECONDS.toNanos(10);

    final EmbeddedChannel server;
    final EmbeddedChannel client;
    final ClientHandshakeHandler clientHandshake;
    final List<Object> serverEvents;
    final List<Object> serverReceived = new ArrayList<>();
    final List<Object> clientReceived = new ArrayList<>();

    HandshakePair(Keyring serverKeys, SharedKey clientKey) {
        this(new ServerHandshakeHandler(serverKeys, DEADLINE), new ClientHandshakeHandler(clientKey, "tcp://test:1"));
    }

    HandshakePair(ServerHandshakeHandler serverHandshake, ClientHandshakeHandler clientHandshake) {
        this.clientHandshake = clientHandshake;
        this.server = serverChannel(serverHandshake, serverReceived);
        this.serverEvents = events(server);
        this.client = new EmbeddedChannel();
        client.pipeline().addLast("handshake", clientHandshake);
        client.pipeline().addLast(new Recorder(new ArrayList<>(), clientReceived));
    }

    /** A server channel: an event recorder at the head (where limits and logs listen), the handshake, a sink that closes on errors. */
    static EmbeddedChannel serverChannel(ServerHandshakeHandler handshake, List<Object> received) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        List<Object> events = new ArrayList<>();
        ch.attr(EVENTS).set(events);
        ch.pipeline().addLast(new Recorder(events, null));
        ch.pipeline().addLast("handshake", handshake);
        ch.pipeline().addLast(new Recorder(new ArrayList<>(), received));
        ch.pipeline().fireChannelActive(); // as a server's connection is announced once its pipeline is built
        return ch;
    }

    static final io.netty.util.AttributeKey<List<Object>> EVENTS = io.netty.util.AttributeKey.valueOf("test.events");

    /** The user events the server's pipeline saw, as a handler at its head did (kept after close). */
    static List<Object> events(EmbeddedChannel server) {
        return server.attr(EVENTS).get();
    }

    /** Moves every pending outbound buffer of {@code from} into {@code to}, optionally one byte at a time. */
    static void pump(EmbeddedChannel from, EmbeddedChannel to, boolean oneByteAtATime) {
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            if (!to.isOpen()) {
                b.release();
                continue;
            }
            if (oneByteAtATime) {
                while (b.isReadable()) {
                    to.writeInbound(b.readRetainedSlice(1));
                }
                b.release();
            } else {
                to.writeInbound(b);
            }
        }
    }

    /** Runs the exchange to its end. */
    void run(boolean oneByteAtATime) {
        for (int i = 0; i < 4; i++) {
            pump(server, client, oneByteAtATime);
            pump(client, server, oneByteAtATime);
        }
    }

    static byte[] drain(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    static ByteBuf bytes(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b;
    }

    static String received(List<Object> messages) {
        StringBuilder sb = new StringBuilder();
        for (Object m : messages) {
            ByteBuf b = (ByteBuf) m;
            sb.append(b.toString(java.nio.charset.StandardCharsets.UTF_8));
            b.release();
        }
        messages.clear();
        return sb.toString();
    }

    void finish() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        serverReceived.forEach(io.netty.util.ReferenceCountUtil::release);
        clientReceived.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    /**
     * Records user events; with a sink for reads it is the end of the pipeline: it keeps what it reads and
     * closes on an exception, as the server's error handler does. Without one it passes everything on.
     */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events;
        final List<Object> reads;

        Recorder(List<Object> events, List<Object> reads) {
            this.events = events;
            this.reads = reads;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (reads == null) {
                ctx.fireChannelRead(msg);
            } else {
                reads.add(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (reads == null) {
                ctx.fireExceptionCaught(cause);
            } else {
                events.add(cause);
                ctx.close();
            }
        }
    }

    static byte[] hex(String hex) {
        return io.netty.buffer.ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", ""));
    }

    static byte[] repeat(int value, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
