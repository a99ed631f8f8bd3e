package dev.jecho.server;

import dev.jecho.protocol.PeerAddress;
import dev.jecho.protocol.handshake.RecordException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The end of every stream pipeline: an exception that got this far ends its own connection and no
 * other. A vanished peer (reset, broken pipe), a failed TLS handshake or a session record that fails its
 * check (a peer's fault, like a failed authentication) is routine and logged at DEBUG (the close line says
 * why); anything else at WARN.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {

    static final ErrorHandler INSTANCE = new ErrorHandler();
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    private ErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An exception raised behind the tracker never passed it: the close line learns why here.
        ConnectionTracker.setCloseReason(ctx.channel(), ConnectionTracker.reasonFor(cause));
        if (cause instanceof IOException || ConnectionTracker.tlsFailure(cause) != null || cause instanceof RecordException) {
            LOG.debug("{}: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("{}: closing after unexpected error: {}", PeerAddress.describe(ctx.channel()), cause.toString());
        }
        ctx.close();
    }
}
