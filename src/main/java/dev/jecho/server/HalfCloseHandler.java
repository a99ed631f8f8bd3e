package dev.jecho.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * A client that sends and then shuts down its output still gets every reply: when its end of stream
 * arrives, flush what is queued and close only after the last byte is written.
 */
@ChannelHandler.Sharable
final class HalfCloseHandler extends ChannelInboundHandlerAdapter {

    static final HalfCloseHandler INSTANCE = new HalfCloseHandler();

    private HalfCloseHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
