package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannelConfig;

/**
 * A connection whose service transforms bytes where they lie (echo, upper) with nothing in between: no
 * handshake, no framing, no output of its own. The four stages behind whatever guards the connection
 * (admission, TLS) are then one handler: the {@link ConnectionTracker} that it is, {@link BackpressureHandler},
 * the {@link ByteServiceHandler} and {@link ConnectionEndHandler}, each job done by that handler's own code, in
 * the order the four would run. A pipeline keeps a context of 64 bytes per handler for as long as the
 * connection lives, so an idle connection costs three contexts less (docs/benchmarks.md, idle memory), and a
 * message passes one handler instead of four.
 *
 * <p>Half-closure (a client's end of stream leaves the connection open until every reply is written) is kept
 * on only while replies wait to be written, when nothing in front holds replies back (TLS, faults): with
 * every reply written, the end of stream closes the connection at once, as the flush and close it would
 * otherwise lead to would, without the shutdown(2), the two events and the empty write on the way.
 */
final class InPlaceConnectionHandler extends ConnectionTracker {

    private final ByteServiceHandler service;
    /** Nothing in front of this handler holds a reply back: what it flushes goes to the socket. */
    private final boolean repliesGoStraightOut;

    /**
     * @param repliesGoStraightOut nothing in front holds replies back (no TLS, no faults): half-closure is
     *                             then needed only while replies wait for the socket
     */
    InPlaceConnectionHandler(StreamListener listener, ByteServiceHandler service, boolean repliesGoStraightOut) {
        super(listener);
        this.service = service;
        this.repliesGoStraightOut = repliesGoStraightOut;
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
        if (repliesGoStraightOut) {
            halfCloseOnlyWhileRepliesWait(ctx);
        }
    }

    /**
     * Replies are written only here, after a read batch, so what is unwritten now stays the most that can be
     * until the next batch, which the transport reads before it sees an end of stream after it.
     */
    private static void halfCloseOnlyWhileRepliesWait(ChannelHandlerContext ctx) {
        ChannelConfig config = ctx.channel().config();
        if (config instanceof DuplexChannelConfig duplex) {
            ChannelOutboundBuffer unwritten = ctx.channel().unsafe().outboundBuffer();
            boolean waiting = unwritten == null || unwritten.totalPendingWriteBytes() > 0;
            if (duplex.isAllowHalfClosure() != waiting) {
                duplex.setAllowHalfClosure(waiting);
            }
        }
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
