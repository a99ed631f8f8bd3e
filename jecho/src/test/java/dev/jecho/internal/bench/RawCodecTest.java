package dev.jecho.internal.bench;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies are recognised however the stream splits them, and checked byte for byte. */
class RawCodecTest {

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    /** A request's bytes; the buffer goes back to the pool, as the channel would release it once written. */
    private static byte[] requestBytes(RawCodec codec, long seq, int size) {
        ByteBuf b = codec.request(io.netty.buffer.ByteBufAllocator.DEFAULT, seq, size);
        try {
            return bytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void requestsAreRotationsOfTheAlphabetThatChangeWithEachRequest() {
        Payloads p = Payloads.heldTo(Service.ECHO, false, 64);
        RawCodec codec = new RawCodec(p);
        assertThat(new String(requestBytes(codec, 0, 5), StandardCharsets.US_ASCII)).isEqualTo("abcde");
        assertThat(new String(requestBytes(codec, 1, 5), StandardCharsets.US_ASCII)).isEqualTo("bcdef");
        assertThat(new String(requestBytes(codec, 25, 3), StandardCharsets.US_ASCII)).isEqualTo("zab");
        assertThat(new String(requestBytes(codec, 26, 3), StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void aReplySplitAtEveryOffsetIsCompleteExactlyAtItsLastByte() {
        RawCodec codec = new RawCodec(Payloads.heldTo(Service.UPPER, false, 64));
        byte[] reply = "DEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII); // request 3, 33 bytes
        for (int split = 0; split <= reply.length; split++) {
            MessageCodec.ReplyReader reader = codec.newReader();
            ByteBuf first = Unpooled.wrappedBuffer(reply, 0, split);
            ByteBuf second = Unpooled.wrappedBuffer(reply, split, reply.length - split);
            int verdict = reader.read(first, 3, reply.length);
            assertThat(verdict).isEqualTo(split == reply.length ? MessageCodec.COMPLETE : MessageCodec.PARTIAL);
            if (split < reply.length) {
                assertThat(reader.read(second, 3, reply.length)).as("split at %d", split).isEqualTo(MessageCodec.COMPLETE);
            }
            assertThat(first.isReadable() || second.isReadable()).isFalse();
        }
    }

    @Test
    void aReplyOneByteAtATimeAndTheNextReplyBehindIt() {
        RawCodec codec = new RawCodec(Payloads.heldTo(Service.ECHO, false, 64));
        MessageCodec.ReplyReader reader = codec.newReader();
        byte[] two = "abcdbcde".getBytes(StandardCharsets.US_ASCII); // requests 0 and 1, 4 bytes each
        for (int i = 0; i < 3; i++) {
            assertThat(reader.read(Unpooled.wrappedBuffer(two, i, 1), 0, 4)).isEqualTo(MessageCodec.PARTIAL);
        }
        ByteBuf rest = Unpooled.wrappedBuffer(two, 3, 5);
        assertThat(reader.read(rest, 0, 4)).isEqualTo(MessageCodec.COMPLETE);
        assertThat(rest.readableBytes()).as("the next reply is left for its request").isEqualTo(4);
        assertThat(reader.read(rest, 1, 4)).isEqualTo(MessageCodec.COMPLETE);
    }

    @Test
    void aWrongByteAnywhereIsAMismatchAndNoneIsSkipped() {
        RawCodec codec = new RawCodec(Payloads.heldTo(Service.ECHO, false, 1024));
        byte[] good = requestBytes(codec, 7, 600);
        for (int at : new int[] {0, 1, 255, 256, 300, 599}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x20;
            assertThat(codec.newReader().read(Unpooled.wrappedBuffer(bad), 7, 600)).as("byte %d", at).isEqualTo(MessageCodec.MISMATCH);
        }
        assertThat(codec.newReader().read(Unpooled.wrappedBuffer(good), 7, 600)).isEqualTo(MessageCodec.COMPLETE);
        assertThat(codec.newReader().read(Unpooled.wrappedBuffer(good), 8, 600)).as("a stale reply").isEqualTo(MessageCodec.MISMATCH);
    }

    @Test
    void withoutACheckOnlyTheLengthCounts() {
        RawCodec codec = new RawCodec(Payloads.heldTo(null, false, 64));
        assertThat(codec.newReader().read(Unpooled.wrappedBuffer(new byte[10]), 0, 10)).isEqualTo(MessageCodec.COMPLETE);
    }
}
