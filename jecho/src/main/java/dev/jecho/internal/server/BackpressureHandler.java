package dev.jecho.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;

/**
 * A client that sends and never reads must not grow the server's memory: once the replies waiting to
 * be sent pass the write high-water mark, they are flushed at once, and if the socket cannot take them
 * (the client is not reading) the server stops reading from that connection until they drain below the
 * low mark. The check runs after every read, so at most one read lands above the mark; a client that
 * keeps up is never paused, and its replies still leave in one write per read batch below the mark.
 */
@ChannelHandler.Sharable
final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    static final BackpressureHandler INSTANCE = new BackpressureHandler();

    private BackpressureHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
        afterRead(ctx);
    }

    /** After the service has had a read: flushes above the high mark, and stops reading if that did not help. */
    static void afterRead(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Reads again once the replies have drained below the low mark; not once the client has shut its output:
     * there is nothing left to read (and epoll refuses to).
     */
    static void writabilityChanged(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (ch.isWritable() && !(ch instanceof DuplexChannel d && d.isInputShutdown())) {
            ch.config().setAutoRead(true);
        }
    }
}
