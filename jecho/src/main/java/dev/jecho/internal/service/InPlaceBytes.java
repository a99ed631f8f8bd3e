package dev.jecho.internal.service;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * Runs a service's {@link Service.InPlace} transform over the readable bytes of a Netty buffer, through a
 * {@link ByteBuffer} view of its memory: for the pooled buffers a read returns, Netty's internal view, so
 * nothing is allocated. Reader and writer indexes are unchanged.
 */
public final class InPlaceBytes {

    private InPlaceBytes() {
    }

    public static void apply(Service.InPlace transform, ByteBuf buf) {
        int length = buf.readableBytes();
        if (length == 0) {
            return;
        }
        int views = buf.nioBufferCount();
        if (views == 1) {
            transform.transform(buf.internalNioBuffer(buf.readerIndex(), length));
        } else if (views > 1) {
            for (ByteBuffer view : buf.nioBuffers(buf.readerIndex(), length)) { // a composite: one view per part
                transform.transform(view);
            }
        } else {
            ByteBuffer copy = ByteBuffer.allocate(length); // a buffer without NIO memory: rare, so a copy
            buf.getBytes(buf.readerIndex(), copy);
            transform.transform(copy.flip());
            buf.setBytes(buf.readerIndex(), copy.clear());
        }
    }
}
