package dev.jecho.internal.server;

import dev.jecho.internal.protocol.PeerAddress;
import dev.jecho.internal.protocol.handshake.RecordException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * How a stream connection ends, at the tail of every pipeline:
 * <ul>
 *   <li>the client shut down its output (half-close): every reply queued so far is flushed, and the
 *       connection closes only after the last byte is written, so a client that sends and then shuts down
 *       still gets everything back;</li>
 *   <li>an exception got this far: it ends its own connection and no other. A vanished peer (reset,
 *       broken pipe), a failed TLS handshake or a session record that fails its check (a peer's fault, like
 *       a failed authentication) is routine and logged at DEBUG (the close line says why); anything else
 *       at WARN.</li>
 * </ul>
 */
@ChannelHandler.Sharable
final class ConnectionEndHandler extends ChannelInboundHandlerAdapter {

    static final ConnectionEndHandler INSTANCE = new ConnectionEndHandler();
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEndHandler.class);

    private ConnectionEndHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            closeOnceFlushed(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The client shut its output down: closes once every reply queued so far is written. */
    static void closeOnceFlushed(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    /** Ends the connection an exception came from: says why, logs it once, closes. */
    static void fail(ChannelHandlerContext ctx, Throwable cause) {
        // An exception raised behind the tracker never passed it: the close line learns why here.
        CloseReason.set(ctx.channel(), ConnectionTracker.reasonFor(cause));
        // An exception's message may quote the peer's bytes (a TLS error's hex dump of a record that was not TLS).
        if (cause instanceof IOException || ConnectionTracker.tlsFailure(cause) != null || cause instanceof RecordException) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: {}", ctx.channel(), PeerText.bounded(cause.toString()));
            }
        } else {
            LOG.warn("{}: closing after unexpected error: {}", PeerAddress.describe(ctx.channel()), PeerText.bounded(cause.toString()));
        }
        ctx.close();
    }
}
