package dev.jecho.internal.server;

import dev.jecho.Service;
import dev.jecho.internal.protocol.ConnectionEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * Sends a service's output nobody asked for (chargen), from the moment the connection's session is up (its
 * client admitted; TLS and the handshake done where configured), as fast as the client reads and no faster:
 * chunks are written while the channel is writable, flushed, and writing resumes when the channel is writable
 * again. So a client that does not read costs at most the write high-water mark plus a chunk, and the
 * slow-client timeout closes it. Output stops at the client's end of stream, at its close and when the
 * server starts draining; a few rounds at a time, so other connections of the event loop get their turn.
 */
final class OutputHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(OutputHandler.class);
    static final int CHUNK = 16 * 1024;
    /** Flushes before yielding the event loop to other connections. */
    private static final int ROUNDS = 4;

    /** When a connection is up, and output may start. */
    enum Start {
        /** No TLS, no handshake: once the client is admitted. */
        ADMITTED,
        /** TLS, no handshake: once TLS is up. */
        TLS,
        /** Once the client authenticated. */
        AUTHENTICATED
    }

    private final Service service;
    private final Service.Output output;
    private final Start start;
    private long offset;
    private boolean started;
    private boolean stopped;
    private boolean producing;

    OutputHandler(Service service, Start start) {
        this.service = service;
        this.output = service.output();
        this.start = start;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof ConnectionEvents.Draining) {
            stopped = true;
        } else if (!started && startsWith(evt)) {
            started = true;
            produce(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private boolean startsWith(Object evt) {
        return switch (start) {
            case ADMITTED -> evt instanceof ConnectionEvents.PeerKnown;
            case TLS -> evt instanceof SslHandshakeCompletionEvent tls && tls.isSuccess();
            case AUTHENTICATED -> evt instanceof ConnectionEvents.Authenticated;
        };
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (started && ctx.channel().isWritable()) {
            produce(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopped = true;
        ctx.fireChannelInactive();
    }

    private void produce(ChannelHandlerContext ctx) {
        if (producing || stopped || !ctx.channel().isActive()) {
            return;
        }
        producing = true;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                while (ctx.channel().isWritable()) {
                    if (!writeChunk(ctx)) {
                        return;
                    }
                }
                ctx.flush();
                if (!ctx.channel().isWritable()) {
                    return; // resumed by channelWritabilityChanged once the client has read
                }
            }
            ctx.executor().execute(() -> produce(ctx)); // the socket took it all: go on after the others' turn
        } finally {
            producing = false;
        }
    }

    private boolean writeChunk(ChannelHandlerContext ctx) {
        ByteBuf chunk = ctx.alloc().ioBuffer(CHUNK);
        try {
            ByteBuffer view = chunk.internalNioBuffer(chunk.writerIndex(), CHUNK);
            int from = view.position();
            output.fill(offset, view);
            int n = view.position() - from;
            if (n <= 0) {
                LOG.warn("{}: the output of service {} filled nothing; it stops", ctx.channel(), service.name());
                stopped = true;
                chunk.release();
                return false;
            }
            offset += n;
            ctx.write(chunk.writerIndex(chunk.writerIndex() + n), ctx.voidPromise());
            return true;
        } catch (RuntimeException e) {
            chunk.release();
            throw e;
        }
    }
}
