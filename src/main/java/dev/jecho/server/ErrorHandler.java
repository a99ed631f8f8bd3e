package dev.jecho.server;

import dev.jecho.protocol.PeerAddress;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The end of every stream pipeline: an exception that got this far ends its own connection and no
 * other. A vanished peer (reset, broken pipe) or a failed TLS handshake is routine and logged at DEBUG
 * (the close line says why); anything else at WARN.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {

    static final ErrorHandler INSTANCE = new ErrorHandler();
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    private ErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || ConnectionTracker.tlsFailure(cause) != null) {
            LOG.debug("{}: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("{}: closing after unexpected error: {}", PeerAddress.describe(ctx.channel()), cause.toString());
        }
        ctx.close();
    }
}
