package dev.jecho.internal.server;

import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PipelineNames;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * One connection's graceful stop. Added at the head of the pipeline when the server stops, it
 * <ol>
 *   <li>stops reading: the service gets no message after the stop, so every message it did get is answered;</li>
 *   <li>waits until every reply is written, then ends the stream (inside TLS, TLS's close_notify first, then
 *       the FIN), so the client reads all its replies and a clean end of stream;</li>
 *   <li>then reads and discards whatever the client still sends, until the client closes or sends nothing
 *       for {@link #QUIET_MILLIS} ms, and closes. Closing a socket with unread input would reset the
 *       connection and could destroy replies still in flight; discarding first avoids that.</li>
 * </ol>
 * A client that never reads never lets step 2 finish: the server's hard stop closes it.
 */
final class DrainHandler extends ChannelInboundHandlerAdapter {

    static final long QUIET_MILLIS = 100;

    private boolean endSent;
    private long discarded;
    private long discardedAtLastLook;

    /**
     * How long a connection that has sent nothing yet may still send its first message when the stop begins:
     * its client connected just before the stop (to a server restarted under socket activation, say: one accepted
     * by the old server) and its message is on the way. Turned away unanswered, it would be a lost attempt.
     */
    static final long FIRST_MESSAGE_GRACE_MILLIS = 100;

    /**
     * Starts draining a connection: at once if it has sent anything, else after {@link #FIRST_MESSAGE_GRACE_MILLIS}.
     * Call on its event loop.
     */
    static void beginAfterFirstMessageGrace(Channel ch) {
        ConnectionTracker tracker = ch.pipeline().get(ConnectionTracker.class);
        if (tracker != null && tracker.bytesIn() == 0) {
            ch.eventLoop().schedule(() -> begin(ch), FIRST_MESSAGE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            begin(ch);
        }
    }

    /** Starts draining a connection; call on its event loop. Does nothing if it is closed or already draining. */
    static void begin(Channel ch) {
        if (ch.isActive() && ch.pipeline().get(PipelineNames.DRAIN) == null) {
            ch.pipeline().addFirst(PipelineNames.DRAIN, new DrainHandler());
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        CloseReason.set(ch, "server stopping");
        ch.config().setAutoRead(false);
        ctx.fireUserEventTriggered(ConnectionEvents.Draining.INSTANCE); // output of its own (chargen) stops first
        // Through the whole pipeline: a TLS handler flushes what it holds, then says close_notify. A TLS client
        // that sees the stream end without close_notify must take it for a truncation (Python's ssl raises).
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !ch.isActive()) {
                ch.close();
            } else if (tls != null) {
                tls.closeOutbound().addListener((ChannelFutureListener) said -> endStream(ctx, said));
            } else {
                endStream(ctx, written);
            }
        });
    }

    /** Sends the FIN once everything before it is written, then reads and discards until the client is done. */
    private void endStream(ChannelHandlerContext ctx, ChannelFuture written) {
        Channel ch = ctx.channel();
        if (!written.isSuccess() || !ch.isActive()) {
            ch.close();
        } else if (ch instanceof DuplexChannel duplex && !duplex.isOutputShutdown()) {
            duplex.shutdownOutput().addListener(ended -> {
                if (!ended.isSuccess()) {
                    ch.close();
                    return;
                }
                endSent = true;
                if (duplex.isInputShutdown()) { // the client is done already: nothing left to read (epoll refuses to)
                    ch.close();
                    return;
                }
                ch.config().setAutoRead(true);
                lookAgainLater(ctx);
            });
        } else {
            ch.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        discarded++;
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing reached the service, so it has nothing to flush
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && endSent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt); // before our end of stream: the half-close handler flushes, then closes
    }

    private void lookAgainLater(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (!ctx.channel().isOpen()) {
                return;
            }
            if (discarded == discardedAtLastLook) {
                ctx.close();
            } else {
                discardedAtLastLook = discarded;
                lookAgainLater(ctx);
            }
        }, QUIET_MILLIS, TimeUnit.MILLISECONDS);
    }
}
