package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What requests carry and what replies must be: rotations of the lowercase alphabet, as the C load
 * generator sends. Request {@code n} starts at letter {@code n % 26}, so a stale, repeated or misaligned
 * reply does not match. One read-only pattern serves every connection: a request is a slice of it,
 * written without copying and never released.
 *
 * <p>With {@link BenchConfig.Check#AUTO} the first reply bytes of the run that carry letters decide, for
 * every connection of the run, between echo and upper: each letter differs between the two, so one byte
 * tells them apart. Bytes that are neither are a mismatch, as with an explicit check.
 */
final class Payloads {

    static final int ALPHABET = 26;
    /** Requests up to this size are copied into pooled buffers rather than sliced from the pattern. */
    static final int COPY_UP_TO = 2048;
    /** Reads of a stream can be longer than a request; the pattern is long enough to check any of them. */
    private static final int MIN_PATTERN = 64 * 1024;
    private static final AtomicReferenceFieldUpdater<Payloads, BenchConfig.Check> APPLIED =
            AtomicReferenceFieldUpdater.newUpdater(Payloads.class, BenchConfig.Check.class, "applied");

    private final ByteBuf requests;
    /** The reply of the upper service, when it may be needed; the echo reply is {@link #requests} itself. */
    private final ByteBuf upper;
    private final boolean checks;
    private final int span;
    /** The check replies are held to: the one given, or with AUTO null until the first reply decides. */
    private volatile BenchConfig.Check applied;

    Payloads(BenchConfig.Check check, int maxSize) {
        this.span = Math.max(maxSize, MIN_PATTERN);
        int length = span + ALPHABET;
        boolean needUpper = check == BenchConfig.Check.UPPER || check == BenchConfig.Check.AUTO;
        ByteBuffer req = ByteBuffer.allocateDirect(length);
        ByteBuffer up = needUpper ? ByteBuffer.allocateDirect(length) : null;
        for (int i = 0; i < length; i++) {
            byte b = (byte) ('a' + i % ALPHABET);
            req.put(i, b);
            if (up != null) {
                up.put(i, (byte) (b - ('a' - 'A')));
            }
        }
        // Wrapped JDK buffers: freed by the garbage collector, outside Netty's leak accounting.
        this.requests = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(req));
        this.upper = up == null ? null : Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(up));
        this.checks = check != BenchConfig.Check.NONE;
        this.applied = check == BenchConfig.Check.AUTO ? null : check;
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
        return checks;
    }

    /**
     * What replies are checked against: the check given, or with AUTO what the first reply showed
     * ({@link BenchConfig.Check#ECHO} or {@link BenchConfig.Check#UPPER}), or null while none has.
     */
    BenchConfig.Check applied() {
        return applied;
    }

    /**
     * True when {@code length} bytes of {@code in} at {@code index} are bytes {@code offset ..} of the reply
     * to request {@code seq}; always true without a check. {@code offset + length} may be up to the pattern span.
     */
    boolean matches(ByteBuf in, int index, long seq, long offset, int length) {
        BenchConfig.Check check = applied;
        if (check == BenchConfig.Check.NONE || length == 0) {
            return true;
        }
        if (check == null) {
            return learn(in, index, seq, offset, length);
        }
        return matches(check == BenchConfig.Check.UPPER ? upper : requests, in, index, seq, offset, length);
    }

    /** AUTO before any reply decided: these bytes decide, unless another connection's reply just did. */
    private boolean learn(ByteBuf in, int index, long seq, long offset, int length) {
        BenchConfig.Check seen = matches(requests, in, index, seq, offset, length) ? BenchConfig.Check.ECHO
                : matches(upper, in, index, seq, offset, length) ? BenchConfig.Check.UPPER : null;
        if (seen == null) {
            return false;
        }
        APPLIED.compareAndSet(this, null, seen);
        return applied == seen;
    }

    private boolean matches(ByteBuf expected, ByteBuf in, int index, long seq, long offset, int length) {
        int at = (int) ((rotation(seq) + offset) % ALPHABET);
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, span);
            if (!same(expected, in, index + done, at, n)) {
                return false;
            }
            done += n;
            at = (int) ((at + n) % ALPHABET);
        }
        return true;
    }

    /** Short runs word by word; long ones with the JDK's vectorised {@link ByteBuffer#mismatch}. */
    private static boolean same(ByteBuf expected, ByteBuf in, int index, int at, int n) {
        if (n < 256 || in.nioBufferCount() != 1) {
            return ByteBufUtil.equals(in, index, expected, at, n);
        }
        return in.nioBuffer(index, n).mismatch(expected.nioBuffer(at, n)) < 0;
    }

    static int rotation(long seq) {
        return (int) Math.floorMod(seq, (long) ALPHABET);
    }
}
