package dev.jecho.internal.server;

import dev.jecho.internal.protocol.ConnectionEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the real authenticated handshake (built on another branch), for testing what the limits
 * do around one: the first line {@code AUTH ok} authenticates the connection, any other first line fails
 * it and closes. It fires the same {@link ConnectionEvents} from the head of the pipeline, holds back
 * nothing after the line, and removes itself once authenticated.
 */
final class TestHandshake extends ChannelInboundHandlerAdapter {

    private final StringBuilder line = new StringBuilder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable()) {
                byte b = in.readByte();
                if (b != '\n') {
                    line.append((char) (b & 0xff));
                    continue;
                }
                if (line.toString().equals("AUTH ok")) {
                    ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.Authenticated("test"));
                    ctx.pipeline().remove(this);
                    if (in.isReadable()) {
                        ctx.fireChannelRead(in.retain());
                    }
                } else {
                    ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed("bad_proof"));
                    ctx.close();
                }
                return;
            }
        } finally {
            in.release();
        }
    }

    static ByteBuf line(String text) {
        return io.netty.buffer.Unpooled.copiedBuffer(text + "\n", StandardCharsets.US_ASCII);
    }
}
