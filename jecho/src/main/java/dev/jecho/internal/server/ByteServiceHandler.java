package dev.jecho.internal.server;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The article's communication loop on a byte stream: every chunk read is transformed in place and
 * written back; one flush per read batch.
 */
@ChannelHandler.Sharable
final class ByteServiceHandler extends ChannelInboundHandlerAdapter {

    private final Service service;

    ByteServiceHandler(Service service) {
        this.service = service;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            service.applyInPlace(buf);
            ctx.write(buf, ctx.voidPromise());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
