package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How a request is put on a stream and how its reply is recognised and checked. {@link RawCodec} is the
 * wire of jecho and every echo server: the bytes themselves, a reply as long as its request. JSON Lines
 * mode plugs in here: its codec writes one JSON document per line and its reader waits for the newline,
 * then checks the transformed value.
 */
interface MessageCodec {

    /** The reader reports one of these from {@link ReplyReader#read}. */
    int PARTIAL = 0;
    int COMPLETE = 1;
    int MISMATCH = -1;

    /** The bytes to write for request {@code seq} of {@code size} payload bytes; the caller writes (and so releases) it. */
    ByteBuf request(ByteBufAllocator alloc, long seq, int size);

    /** The bytes the reply to a request of {@code size} payload bytes has on the wire (for MB/s). */
    int replyLength(int size);

    /** A reader for one connection (it may keep state between reads). */
    ReplyReader newReader();

    /** Reads the reply to the oldest request in flight from a stream, however the bytes are split. */
    interface ReplyReader {

        /**
         * Consumes bytes of the reply to request {@code seq} from {@code in}: {@link #COMPLETE} when the
         * reply is whole (bytes after it are left in {@code in}), {@link #PARTIAL} when {@code in} was used up
         * first, {@link #MISMATCH} when the bytes are not the expected reply.
         */
        int read(ByteBuf in, long seq, int size);
    }
}
