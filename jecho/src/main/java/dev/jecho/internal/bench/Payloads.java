package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * What requests carry and what replies must be: rotations of the lowercase alphabet, as the C load
 * generator sends. Request {@code n} starts at letter {@code n % 26}, so a stale, repeated or misaligned
 * reply does not match. One read-only pattern serves every connection: a request is a slice of it,
 * written without copying and never released.
 *
 * <p>What a reply must be, the service says: its reply to the whole pattern (in JSON mode, to the pattern's
 * letters as a string value), built once, whose slices are the replies to the requests' slices (the bench
 * checks byte services, see {@link ServiceChecks}). With {@code --check auto} the first reply bytes of the run
 * that carry letters decide, for every connection of the run, among the registered services that fit: the
 * first whose reply they are. Bytes that are none is a mismatch, as with an explicit check.
 */
final class Payloads {

    static final int ALPHABET = 26;
    /** Requests up to this size are copied into pooled buffers rather than sliced from the pattern. */
    static final int COPY_UP_TO = 2048;
    /** Reads of a stream can be longer than a request; the pattern is long enough to check any of them. */
    private static final int MIN_PATTERN = 64 * 1024;

    private final ByteBuf requests;
    /** The services replies may be held to, in order: the one given, or auto's candidates. */
    private final List<Service> candidates;
    /** Per candidate, its reply to the pattern (request/response modes only, else none). */
    private final List<ByteBuf> expected;
    private final boolean checks;
    private final int span;
    /** The service replies are held to: the one given, or with auto null until a reply decides. */
    private volatile Service applied;
    private volatile ByteBuf appliedPattern;
    private volatile boolean detected;

    /**
     * @param candidates the services replies may be held to, in order: one, or auto's; empty for no check
     * @param given      whether the one candidate was given (held to at once) rather than auto's to learn
     * @param replies    a request/response mode: build each candidate's reply to the pattern
     * @param json       JSON messages: the services apply to the letters as a string value
     */
    Payloads(List<Service> candidates, boolean given, boolean replies, boolean json, int maxSize) {
        this.span = Math.max(maxSize, MIN_PATTERN);
        int length = span + ALPHABET;
        byte[] pattern = new byte[length];
        for (int i = 0; i < length; i++) {
            pattern[i] = (byte) ('a' + i % ALPHABET);
        }
        this.requests = direct(pattern);
        List<Service> fit = new ArrayList<>();
        List<ByteBuf> patterns = new ArrayList<>();
        for (Service s : candidates) {
            byte[] reply = !replies ? pattern : json
                    ? textReply(s, pattern)
                    : s.reply(pattern.clone());
            if (reply != null && reply.length == length) {
                fit.add(s);
                patterns.add(!replies ? null : Arrays.equals(reply, pattern) ? requests : direct(reply));
            }
        }
        this.candidates = List.copyOf(fit);
        this.expected = patterns;
        this.checks = !candidates.isEmpty();
        if (given && !fit.isEmpty()) {
            this.applied = fit.get(0);
            this.appliedPattern = patterns.get(0);
        }
    }

    /** The payloads of a run: its check (given, auto's candidates for its mode, or none). */
    static Payloads of(BenchConfig config) {
        boolean replies = !config.mode().oneWay();
        if (!config.checksReplies()) {
            return new Payloads(List.of(), false, replies, config.json(), config.sizeMax());
        }
        if (config.check() != null) {
            return new Payloads(List.of(config.check()), true, replies, config.json(), config.sizeMax());
        }
        Payloads p = new Payloads(ServiceChecks.candidates(config.mode(), config.json()), false, replies, config.json(),
                config.sizeMax());
        if (config.mode() == BenchConfig.Mode.UPLOAD && !p.candidates.isEmpty()) {
            p.applied = p.candidates.get(0); // nothing comes back from any of them: no reply to learn from
        }
        return p;
    }

    /** Request/response payloads held to {@code service} from the start, or without a check (null). */
    static Payloads heldTo(Service service, boolean json, int maxSize) {
        return new Payloads(service == null ? List.of() : List.of(service), true, true, json, maxSize);
    }

    private static byte[] textReply(Service s, byte[] pattern) {
        String reply = s.replyToText(new String(pattern, StandardCharsets.US_ASCII));
        return reply == null ? null : reply.getBytes(StandardCharsets.UTF_8);
    }

    /** A JDK direct buffer, wrapped: freed by the garbage collector, outside Netty's leak accounting. */
    private static ByteBuf direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b));
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

    /** The service replies are held to: the one given, or with auto what the first reply showed, or null while none has. */
    Service applied() {
        return applied;
    }

    /** Whether auto learned {@link #applied()} from a reply. */
    boolean detected() {
        return detected;
    }

    /** Whether every candidate gives back {@code bytes} unchanged (a datagram's sequence tag survives them). */
    boolean keeps(byte[] bytes) {
        for (Service s : candidates) {
            byte[] reply = s.reply(bytes.clone());
            if (!Arrays.equals(reply, bytes)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Auto: the first candidate {@code fits} decides for the whole run, unless another connection decided
     * first. Returns the service the run is held to, or null when none fits.
     */
    Service learn(Predicate<Service> fits) {
        Service seen = null;
        for (Service s : candidates) {
            if (fits.test(s)) {
                seen = s;
                break;
            }
        }
        if (seen != null) {
            synchronized (this) {
                if (applied == null) {
                    appliedPattern = expected.get(candidates.indexOf(seen));
                    detected = true;
                    applied = seen;
                }
            }
        }
        return applied;
    }

    /**
     * True when {@code length} bytes of {@code in} at {@code index} are bytes {@code offset ..} of the reply
     * to request {@code seq}; always true without a check. {@code offset + length} may be up to the pattern span.
     */
    boolean matches(ByteBuf in, int index, long seq, long offset, int length) {
        if (!checks || length == 0) {
            return true;
        }
        ByteBuf pattern = appliedPattern;
        if (pattern == null) {
            Service learned = learn(s -> matches(expected.get(candidates.indexOf(s)), in, index, seq, offset, length));
            return learned != null && matches(appliedPattern, in, index, seq, offset, length);
        }
        return matches(pattern, in, index, seq, offset, length);
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
