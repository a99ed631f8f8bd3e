package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.util.List;

/**
 * Cuts a raw stream into lines for a line service, each with its line end ({@code \n} or {@code \r\n}), so
 * the reply can end as the request did. A line longer than the limit fails at once. At the client's end of
 * stream (half-close) the bytes after the last line end are a line too, as a Python server's
 * {@code readline()} returns them.
 */
final class LineFramer extends LineBasedFrameDecoder {

    LineFramer(int maxLength) {
        super(maxLength, false, true);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }
}
