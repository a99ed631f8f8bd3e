package dev.jecho.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One per connection: counts the messages and bytes the service sees, writes the connect and close
 * lines, and remembers why the connection ended.
 */
final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    private final ConnectionLog log;
    private final String listener;
    private final ServerStats stats;
    private String peer;
    private long openedAt;
    private long messagesIn;
    private long bytesIn;
    private String closeReason;

    ConnectionTracker(ConnectionLog log, String listener, ServerStats stats) {
        this.log = log;
        this.listener = listener;
        this.stats = stats;
    }

    /** Records why a connection is being closed, for its close line; the first reason given wins. */
    static void setCloseReason(Channel channel, String reason) {
        ConnectionTracker tracker = channel.pipeline().get(ConnectionTracker.class);
        if (tracker != null && tracker.closeReason == null) {
            tracker.closeReason = reason;
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        openedAt = System.nanoTime();
        peer = describe(ctx.channel());
        stats.connectionOpened();
        log.connected(listener, peer);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messagesIn++;
        bytesIn += sizeOf(msg);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && closeReason == null) {
            closeReason = "peer closed";
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            closeReason = cause instanceof IOException ? describeIoError(cause) : "error: " + cause.getMessage();
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.connectionClosed();
        log.closed(listener, peer, messagesIn, bytesIn, System.nanoTime() - openedAt,
                closeReason == null ? "peer closed" : closeReason);
        ctx.fireChannelInactive();
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        return 0;
    }

    static String describeIoError(Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        if (m.contains("reset")) {
            return "peer reset";
        }
        if (m.contains("Broken pipe")) {
            return "peer went away";
        }
        return "I/O error: " + m;
    }

    /** {@code 127.0.0.1:51234}, {@code [::1]:51234}, or for Unix sockets the connection's id. */
    static String describe(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return "#" + channel.id().asShortText();
    }
}
