package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A connection whose service transforms bytes where they lie (echo, upper) with nothing in between: no
 * handshake, no framing, no output of its own. The four stages behind whatever guards the connection
 * (admission, TLS) are then one handler: the {@link ConnectionTracker} that it is, {@link BackpressureHandler},
 * the {@link ByteServiceHandler} and {@link ConnectionEndHandler}, each job done by that handler's own code, in
 * the order the four would run. A pipeline keeps a context of 64 bytes per handler for as long as the
 * connection lives, so an idle connection costs three contexts less (docs/benchmarks.md, idle memory), and a
 * message passes one handler instead of four.
 */
final class InPlaceConnectionHandler extends ConnectionTracker {

    private final ByteServiceHandler service;

    InPlaceConnectionHandler(StreamListener listener, ByteServiceHandler service) {
        super(listener);
        this.service = service;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received(msg);
        if (msg instanceof ByteBuf buf) {
            int reply = buf.readableBytes(); // the same bytes, transformed in place
            service.answer(ctx, buf);
            sent(reply); // counted once written, as the tracker counts a write passing it (none if the service threw)
        } else {
            ctx.fireChannelRead(msg);
        }
        BackpressureHandler.afterRead(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        service.channelReadComplete(ctx); // flushes the batch's replies
        readBatchDone();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx);
        BackpressureHandler.writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    void inputShutdown(ChannelHandlerContext ctx, Object evt) {
        ConnectionEndHandler.closeOnceFlushed(ctx);
        ctx.fireUserEventTriggered(evt);
    }

    /** An exception ends here, as at the end of the longer pipeline: the close line learns why, then the close. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionEndHandler.fail(ctx, cause);
    }
}
