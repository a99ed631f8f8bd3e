package dev.jecho.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * What requests carry and what replies must be: rotations of the lowercase alphabet, as the C load
 * generator sends. Request {@code n} starts at letter {@code n % 26}, so a stale, repeated or misaligned
 * reply does not match. One read-only pattern serves every connection: a request is a slice of it,
 * written without copying and never released.
 */
final class Payloads {

    static final int ALPHABET = 26;
    /** Requests up to this size are copied into pooled buffers rather than sliced from the pattern. */
    static final int COPY_UP_TO = 2048;
    /** Reads of a stream can be longer than a request; the pattern is long enough to check any of them. */
    private static final int MIN_PATTERN = 64 * 1024;

    private final ByteBuf requests;
    private final ByteBuf expected;
    private final int span;

    Payloads(BenchConfig.Check check, int maxSize) {
        this.span = Math.max(maxSize, MIN_PATTERN);
        int length = span + ALPHABET;
        ByteBuffer req = ByteBuffer.allocateDirect(length);
        ByteBuffer exp = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++) {
            byte b = (byte) ('a' + i % ALPHABET);
            req.put(i, b);
            exp.put(i, check == BenchConfig.Check.UPPER ? (byte) (b - ('a' - 'A')) : b);
        }
        // Wrapped JDK buffers: freed by the garbage collector, outside Netty's leak accounting.
        this.requests = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(req));
        this.expected = check == BenchConfig.Check.NONE ? null : Unpooled.wrappedBuffer(exp);
    }

    /**
     * The bytes of request {@code seq}. Small requests are copied into a pooled buffer (recycled once written:
     * no garbage per request, so the bench's own GC pauses stay out of the latencies it measures); larger
     * ones are a slice of the pattern, written without a copy (its release is a no-op).
     */
    ByteBuf request(ByteBufAllocator alloc, long seq, int size) {
        if (size <= COPY_UP_TO) {
            return alloc.directBuffer(size).writeBytes(requests, rotation(seq), size);
        }
        return requests.slice(rotation(seq), size);
    }

    /** Copies the bytes of request {@code seq} from {@code from} to {@code to} (exclusive) into {@code out}. */
    void copyRequest(long seq, int from, int to, ByteBuf out) {
        out.writeBytes(requests, rotation(seq) + from, to - from);
    }

    boolean checks() {
        return expected != null;
    }

    /**
     * True when {@code length} bytes of {@code in} at {@code index} are bytes {@code offset ..} of the reply
     * to request {@code seq}; always true without a check. {@code offset + length} may be up to the pattern span.
     */
    boolean matches(ByteBuf in, int index, long seq, long offset, int length) {
        if (expected == null) {
            return true;
        }
        int at = (int) ((rotation(seq) + offset) % ALPHABET);
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, span);
            if (!same(in, index + done, at, n)) {
                return false;
            }
            done += n;
            at = (int) ((at + n) % ALPHABET);
        }
        return true;
    }

    /** Short runs word by word; long ones with the JDK's vectorised {@link ByteBuffer#mismatch}. */
    private boolean same(ByteBuf in, int index, int at, int n) {
        if (n < 256 || in.nioBufferCount() != 1) {
            return ByteBufUtil.equals(in, index, expected, at, n);
        }
        return in.nioBuffer(index, n).mismatch(expected.nioBuffer(at, n)) < 0;
    }

    static int rotation(long seq) {
        return (int) Math.floorMod(seq, (long) ALPHABET);
    }
}
