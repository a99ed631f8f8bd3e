package dev.jecho.server;

import dev.jecho.protocol.ConnectionEvents;
import dev.jecho.protocol.PeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import javax.net.ssl.SSLException;
import java.io.IOException;

/**
 * One per connection: counts the messages and bytes the service sees, writes the connect and close
 * lines, and remembers why the connection ended. It announces the client's address
 * ({@link ConnectionEvents.PeerKnown}) when the connection becomes active, unless the listener waits for a
 * PROXY protocol header to learn it.
 */
final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    private final ConnectionLog log;
    private final String listener;
    private final ServerStats stats;
    private final OpenConnections open;
    private final boolean peerKnownAtConnect;
    private String peer;
    private long openedAt;
    private long messagesIn;
    private long bytesIn;
    private String closeReason;

    ConnectionTracker(ConnectionLog log, String listener, ServerStats stats, OpenConnections open,
                      boolean peerKnownAtConnect) {
        this.log = log;
        this.listener = listener;
        this.stats = stats;
        this.open = open;
        this.peerKnownAtConnect = peerKnownAtConnect;
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
        stats.connectionOpened();
        open.add(ctx.channel());
        ctx.fireChannelActive();
        if (peerKnownAtConnect) {
            ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(ctx.channel().remoteAddress()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messagesIn++;
        bytesIn += sizeOf(msg);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ConnectionEvents.PeerKnown) {
            peer = PeerAddress.describe(ctx.channel());
            log.connected(listener, peer);
        } else if (evt instanceof ConnectionEvents.AuthenticationFailed failed && closeReason == null) {
            closeReason = "authentication failed: " + failed.reason();
        } else if (evt instanceof ChannelInputShutdownEvent && closeReason == null) {
            closeReason = "peer closed";
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            SSLException tls = tlsFailure(cause);
            closeReason = tls != null ? "TLS failed: " + tls.getMessage()
                    : cause instanceof IOException ? describeIoError(cause) : "error: " + cause.getMessage();
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.remove(ctx.channel());
        log.closed(listener, peer != null ? peer : PeerAddress.describe(ctx.channel()), messagesIn, bytesIn, System.nanoTime() - openedAt,
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

    /** The TLS error behind an exception (a handshake the peer or we refused), or null. */
    static SSLException tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
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
}
