package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * JSON messages. Request {@code seq} of {@code size} bytes is one JSON value whose compact form is exactly
 * what is sent, so a server that re-serializes compactly (jecho) sends it back byte for byte, its string
 * values (not keys) upper-cased by the upper service:
 * <pre>
 *   21 bytes or more   {"n":10000042,"s":"qrstuv..."}    n = 10000000 + seq mod 90000000: always 8 digits
 *   2 to 20 bytes      "qrstuv..."
 * </pre>
 * The letters are the rotation of the alphabet a raw request carries, so consecutive replies differ, and the
 * number pins a reply to its request over a much longer stretch. In JSON Lines each value ends with a
 * newline. On the article's wire ({@code --legacy-auth}) values go back to back and are always strings: its
 * Python server re-serializes objects with spaces.
 *
 * <p>With a check, every reply byte is compared as it arrives (an error object differs from its second
 * byte); without one, a reply is the next line (on the article's wire: as many bytes as the request).
 * Requests go into pooled buffers; nothing is allocated per request.
 */
public final class JsonCodec implements MessageCodec {

    /** The shortest JSON message: {@code ""}. */
    public static final int MIN_SIZE = 2;
    private static final byte[] OBJECT_HEAD = ascii("{\"n\":");
    private static final byte[] OBJECT_MID = ascii(",\"s\":\"");
    private static final int DIGITS = 8;
    private static final int OBJECT_HEAD_LENGTH = OBJECT_HEAD.length + DIGITS + OBJECT_MID.length;
    /** The shortest object: {@code {"n":10000000,"s":""}}. */
    static final int MIN_OBJECT = OBJECT_HEAD_LENGTH + 2;
    private static final long NUMBER_BASE = 10_000_000L;
    private static final long NUMBER_SPAN = 90_000_000L;

    private final Payloads payloads;
    private final boolean lines;
    private final byte[] objectTail;
    private final byte[] stringTail;

    /**
     * @param lines JSON Lines (true), or the article's values back to back, strings only (false)
     */
    JsonCodec(Payloads payloads, boolean lines) {
        this.payloads = payloads;
        this.lines = lines;
        this.objectTail = ascii(lines ? "\"}\n" : "\"}");
        this.stringTail = ascii(lines ? "\"\n" : "\"");
    }

    private boolean isObject(int size) {
        return lines && size >= MIN_OBJECT;
    }

    @Override
    public ByteBuf request(ByteBufAllocator alloc, long seq, int size) {
        boolean object = isObject(size);
        ByteBuf buf = alloc.directBuffer(replyLength(size));
        int letters;
        if (object) {
            buf.writeBytes(OBJECT_HEAD);
            long n = number(seq);
            for (long unit = 10_000_000L; unit > 0; unit /= 10) {
                buf.writeByte('0' + (int) (n / unit % 10));
            }
            buf.writeBytes(OBJECT_MID);
            letters = size - MIN_OBJECT;
        } else {
            buf.writeByte('"');
            letters = size - 2;
        }
        payloads.copyRequest(seq, 0, letters, buf);
        return buf.writeBytes(object ? objectTail : stringTail);
    }

    private static long number(long seq) {
        return NUMBER_BASE + Math.floorMod(seq, NUMBER_SPAN);
    }

    @Override
    public int replyLength(int size) {
        return lines ? size + 1 : size;
    }

    @Override
    public ReplyReader newReader() {
        if (payloads.checks()) {
            return new CheckingReader();
        }
        return lines ? new LineReader() : new RawCodec(payloads).newReader(); // unchecked: as long as the request
    }

    /** Compares every byte with the expected reply: the head (with the request's number), the letters, the tail. */
    private final class CheckingReader implements ReplyReader {
        private final byte[] head = new byte[OBJECT_HEAD_LENGTH];
        private int headLength;
        private int letters;
        private byte[] tail;
        private int received;

        @Override
        public int read(ByteBuf in, long seq, int size) {
            if (received == 0) {
                expect(seq, size);
            }
            int lettersEnd = headLength + letters;
            int total = lettersEnd + tail.length;
            while (received < total && in.isReadable()) {
                int at = in.readerIndex();
                if (received >= headLength && received < lettersEnd) {
                    int n = Math.min(lettersEnd - received, in.readableBytes());
                    if (!payloads.matches(in, at, seq, received - headLength, n)) {
                        return mismatch();
                    }
                    in.skipBytes(n);
                    received += n;
                    continue;
                }
                byte want = received < headLength ? head[received] : tail[received - lettersEnd];
                if (in.getByte(at) != want) {
                    return mismatch();
                }
                in.skipBytes(1);
                received++;
            }
            if (received < total) {
                return PARTIAL;
            }
            received = 0;
            return COMPLETE;
        }

        private void expect(long seq, int size) {
            if (isObject(size)) {
                System.arraycopy(OBJECT_HEAD, 0, head, 0, OBJECT_HEAD.length);
                long n = number(seq);
                for (int i = OBJECT_HEAD.length + DIGITS - 1; i >= OBJECT_HEAD.length; i--) {
                    head[i] = (byte) ('0' + n % 10);
                    n /= 10;
                }
                System.arraycopy(OBJECT_MID, 0, head, OBJECT_HEAD.length + DIGITS, OBJECT_MID.length);
                headLength = OBJECT_HEAD_LENGTH;
                letters = size - MIN_OBJECT;
                tail = objectTail;
            } else {
                head[0] = '"';
                headLength = 1;
                letters = size - 2;
                tail = stringTail;
            }
        }

        private int mismatch() {
            received = 0;
            return MISMATCH;
        }
    }

    /** No check, JSON Lines: a reply is whatever comes up to the next newline. */
    private static final class LineReader implements ReplyReader {
        @Override
        public int read(ByteBuf in, long seq, int size) {
            int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (newline < 0) {
                in.skipBytes(in.readableBytes());
                return PARTIAL;
            }
            in.readerIndex(newline + 1);
            return COMPLETE;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
