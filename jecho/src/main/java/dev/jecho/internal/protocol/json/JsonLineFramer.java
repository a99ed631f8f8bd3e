package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * JSON Lines: Netty's {@link LineBasedFrameDecoder} (LF or CR LF, stripped; a line longer than the limit
 * fails with {@code TooLongFrameException}), with the unfinished line charged to the server's
 * {@link PartialMessageBudget}.
 */
public final class JsonLineFramer extends LineBasedFrameDecoder {

    private final MessageCharge charge;

    public JsonLineFramer(int maxLength, PartialMessageBudget budget) {
        super(maxLength, true, true);
        this.charge = new MessageCharge(budget);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        if (charge.refused()) {
            buffer.skipBytes(buffer.readableBytes());
            return null;
        }
        return super.decode(ctx, buffer);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        charge.update(ctx, internalBuffer());
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        charge.release();
    }
}
