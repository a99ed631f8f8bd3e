package dev.jecho.internal.server;

import dev.jecho.Service;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.json.JsonErrors;
import dev.jecho.internal.protocol.json.JsonProblem;
import dev.jecho.internal.protocol.json.JsonTranscoder;
import dev.jecho.internal.protocol.json.PartialMessageBudget;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

import java.util.function.UnaryOperator;

/**
 * JSON mode's service: each framed message is parsed and written back compactly, the service applied to
 * string values (a message with a string the service answers nothing to gets no reply); a bad message gets a one-line error object and the connection goes on. A message over
 * the length limit (reported by the framer) gets its error object, then the connection closes; so does one
 * the server's budget for unfinished messages had no room for. One flush per read batch.
 */
@ChannelHandler.Sharable
final class JsonServiceHandler extends ChannelInboundHandlerAdapter {

    private final UnaryOperator<String> strings;
    private final boolean newlineAfterEach;
    private final int maxLength;

    /**
     * @param newlineAfterEach JSON Lines (true), or the article's values back to back (false)
     */
    JsonServiceHandler(Service service, boolean newlineAfterEach, int maxLength) {
        // A service whose reply is the message (echo) leaves string values as they are: none is decoded.
        this.strings = service.inPlace() == Service.InPlace.UNCHANGED ? null : text -> {
            String reply = service.replyToText(text);
            if (reply == null) {
                throw NoReply.INSTANCE;
            }
            return reply;
        };
        this.newlineAfterEach = newlineAfterEach;
        this.maxLength = maxLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (isBlank(in)) {
                return; // an empty line (someone pressing Enter in nc) is no message
            }
            ByteBuf out = ctx.alloc().buffer(in.readableBytes() + 2);
            try {
                JsonTranscoder.transcode(in, out, strings);
            } catch (JsonProblem problem) {
                out.clear();
                JsonErrors.write(out, problem.code(), problem.detail());
            } catch (NoReply none) {
                out.release();
                return;
            }
            if (newlineAfterEach) {
                out.writeByte('\n');
            }
            ctx.write(out, ctx.voidPromise());
        } finally {
            in.release();
        }
    }

    /** The service gives no reply to a string of the message, so the message gets none. */
    private static final class NoReply extends RuntimeException {
        static final NoReply INSTANCE = new NoReply();

        private NoReply() {
            super(null, null, false, false);
        }
    }

    private static boolean isBlank(ByteBuf in) {
        return in.forEachByte(b -> b == ' ' || b == '\t' || b == '\r' || b == '\n') < 0;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            CloseReason.set(ctx.channel(), "message longer than " + maxLength + " bytes");
            closeWith(ctx, JsonErrors.LINE_TOO_LONG, "message longer than " + maxLength + " bytes; closing");
            return;
        }
        if (cause instanceof PartialMessageBudget.ExhaustedException exhausted) {
            // Counted by reason and logged as a refusal; the client is told it is the server's limit, not its line's.
            ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.Refused("partial_messages",
                    "unfinished messages of all connections reached --max-partial-bytes (" + exhausted.limit() + " bytes)"));
            closeWith(ctx, JsonErrors.SERVER_BUSY, "the server holds as many unfinished messages as it may; closing");
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void closeWith(ChannelHandlerContext ctx, String code, String detail) {
        ByteBuf out = ctx.alloc().buffer(96);
        JsonErrors.write(out, code, detail);
        if (newlineAfterEach) {
            out.writeByte('\n');
        }
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
