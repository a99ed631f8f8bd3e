package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** The service stage of a service that never replies (discard, chargen): what arrives is released unread. */
@ChannelHandler.Sharable
final class DiscardHandler extends ChannelInboundHandlerAdapter {

    static final DiscardHandler INSTANCE = new DiscardHandler();

    private DiscardHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            buf.release();
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
