package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Cuts a stream of JSON values written back to back, with no separator (the article's wire:
 * {@code send(json.dumps(x))}), into one buffer per value, however TCP splits or joins them. It only
 * finds where each value ends (braces, brackets and strings, with escapes); checking the JSON is the
 * next handler's job.
 *
 * <p>Unlike Netty's {@code JsonObjectDecoder}, top-level scalars are values too: the article's client
 * sends bare strings. A bare number, {@code true}, {@code false} or {@code null} has no closing
 * character, so it ends at whitespace, at the start of the next value, or at the end of the read that
 * brought it (the article's own framing is one {@code recv()}).
 *
 * <p>A value longer than the limit fails with {@link TooLongFrameException} and the rest of the input
 * is dropped; whoever handles the exception decides what to say and closes. The unfinished value is charged
 * to the server's {@link PartialMessageBudget}, which may refuse it the same way.
 */
public final class JsonValueFramer extends ByteToMessageDecoder {

    private final int maxLength;
    private final MessageCharge charge;
    private int scanned;      // bytes of the current value already looked at, from the reader index
    private int depth;
    private boolean inValue;
    private boolean inString;
    private boolean escaped;
    private boolean bare;
    private boolean failed;

    public JsonValueFramer(int maxLength) {
        this(maxLength, PartialMessageBudget.UNLIMITED);
    }

    public JsonValueFramer(int maxLength, PartialMessageBudget budget) {
        this.maxLength = maxLength;
        this.charge = new MessageCharge(budget);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed || charge.refused()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            if (!inValue && !startValue(in)) {
                return;
            }
            int end = scan(in);
            if (end >= 0) {
                out.add(in.readRetainedSlice(end));
                reset();
            } else {
                if (scanned > maxLength) {
                    failed = true;
                    in.skipBytes(in.readableBytes());
                    throw new TooLongFrameException("JSON value longer than " + maxLength + " bytes");
                }
                return;
            }
        }
    }

    /** Skips whitespace between values; true when a value starts at the reader index. */
    private boolean startValue(ByteBuf in) {
        while (in.isReadable() && isWhitespace(in.getByte(in.readerIndex()))) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return false;
        }
        byte first = in.getByte(in.readerIndex());
        inValue = true;
        scanned = 1;
        if (first == '{' || first == '[') {
            depth = 1;
        } else if (first == '"') {
            inString = true;
        } else {
            bare = true;
        }
        return true;
    }

    /** Scans on from where the last read stopped; returns the value's length once it is complete, else -1. */
    private int scan(ByteBuf in) {
        int base = in.readerIndex();
        int limit = in.readableBytes();
        if (scanned >= limit) {
            return -1;
        }
        int stop = in.forEachByte(base + scanned, limit - scanned, this::process); // one bulk pass, no per-byte calls
        if (stop < 0) {
            scanned = limit;
            return -1;
        }
        scanned = stop - base + (bare ? 0 : 1); // a bare value's delimiter belongs to what follows
        return scanned;
    }

    /** One byte of the current value; false where the value ends. */
    private boolean process(byte b) {
        if (bare) {
            return !(isWhitespace(b) || b == '{' || b == '[' || b == '"');
        }
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
                return depth != 0;
            }
            return true;
        }
        if (b == '"') {
            inString = true;
        } else if (b == '{' || b == '[') {
            depth++;
        } else if (b == '}' || b == ']') {
            return --depth != 0;
        }
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        charge.update(ctx, internalBuffer());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        emitBareValue(ctx);
        charge.update(ctx, internalBuffer());
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        charge.release();
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (inValue && bare && !failed && in.isReadable()) {
            out.add(in.readRetainedSlice(Math.min(scanned, in.readableBytes())));
            reset();
        }
    }

    /** A bare scalar still open when the read ends is complete: nothing else could end it. */
    private void emitBareValue(ChannelHandlerContext ctx) {
        ByteBuf held = internalBuffer();
        if (inValue && bare && !failed && held.isReadable() && scanned <= held.readableBytes()) {
            ByteBuf value = held.readRetainedSlice(scanned);
            reset();
            ctx.fireChannelRead(value);
        }
    }

    private void reset() {
        scanned = 0;
        depth = 0;
        inValue = false;
        inString = false;
        escaped = false;
        bare = false;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
