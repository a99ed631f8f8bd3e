package dev.jecho.internal.server;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * A service without an in-place transform, one message at a time: a line (behind the {@link LineFramer}:
 * the service gets it without its line end, which the reply gets back), an authenticated record, or a chunk
 * of a byte service's stream. The reply, if any, is written; one flush per read batch.
 */
@ChannelHandler.Sharable
final class MessageServiceHandler extends ChannelInboundHandlerAdapter {

    private final Service service;
    private final boolean lines;
    private final int maxLine;

    /**
     * @param lines   messages are lines with their line ends, from the {@link LineFramer}
     * @param maxLine the longest line, for the reason a longer one closes the connection
     */
    MessageServiceHandler(Service service, boolean lines, int maxLine) {
        this.service = service;
        this.lines = lines;
        this.maxLine = maxLine;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!ctx.channel().isActive()) {
                return; // a last line the framer found as the connection closed: nobody to answer
            }
            int end = lines ? lineEnd(in) : 0;
            byte[] message = new byte[in.readableBytes() - end];
            in.getBytes(in.readerIndex(), message);
            byte[] reply = service.reply(message);
            if (reply != null) {
                ByteBuf out = ctx.alloc().buffer(reply.length + end).writeBytes(reply);
                ctx.write(out.writeBytes(in, in.readerIndex() + message.length, end), ctx.voidPromise());
            }
        } finally {
            in.release();
        }
    }

    private static int lineEnd(ByteBuf line) {
        int last = line.writerIndex() - 1;
        if (last < line.readerIndex() || line.getByte(last) != '\n') {
            return 0; // the last line, cut by the client's end of stream
        }
        return last > line.readerIndex() && line.getByte(last - 1) == '\r' ? 2 : 1;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            CloseReason.set(ctx.channel(), "line longer than " + maxLine + " bytes");
            // the replies to the lines before it go first
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
