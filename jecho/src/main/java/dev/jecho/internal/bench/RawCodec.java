package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Raw bytes: the reply to a request of n bytes is the next n bytes of the stream, checked byte for byte. */
final class RawCodec implements MessageCodec {

    private final Payloads payloads;

    RawCodec(Payloads payloads) {
        this.payloads = payloads;
    }

    @Override
    public ByteBuf request(ByteBufAllocator alloc, long seq, int size) {
        return payloads.request(alloc, seq, size);
    }

    @Override
    public int replyLength(int size) {
        return size;
    }

    @Override
    public ReplyReader newReader() {
        return new ReplyReader() {
            private int received;

            @Override
            public int read(ByteBuf in, long seq, int size) {
                int n = Math.min(size - received, in.readableBytes());
                if (!payloads.matches(in, in.readerIndex(), seq, received, n)) {
                    return MISMATCH;
                }
                in.skipBytes(n);
                received += n;
                if (received < size) {
                    return PARTIAL;
                }
                received = 0;
                return COMPLETE;
            }
        };
    }
}
