package dev.jecho.internal.server;

import dev.jecho.Service;
import dev.jecho.internal.service.InPlaceBytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The article's communication loop on a byte stream, for a service with an in-place transform (upper,
 * echo): every chunk read is transformed where it lies and the same buffer written back; one flush per read
 * batch. Nothing is copied or allocated per read, and echo's transform is not even called.
 */
@ChannelHandler.Sharable
final class ByteServiceHandler extends ChannelInboundHandlerAdapter {

    /** Null when the reply is the message itself. */
    private final Service.InPlace transform;

    ByteServiceHandler(Service service) {
        Service.InPlace inPlace = service.inPlace();
        if (inPlace == null) {
            throw new IllegalArgumentException("service " + service.name() + " has no in-place transform");
        }
        this.transform = inPlace == Service.InPlace.UNCHANGED ? null : inPlace;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            answer(ctx, buf);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** Transforms the bytes where they lie and writes the same buffer back (flushed at the end of the read batch). */
    void answer(ChannelHandlerContext ctx, ByteBuf buf) {
        if (transform != null) {
            InPlaceBytes.apply(transform, buf);
        }
        ctx.write(buf, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
