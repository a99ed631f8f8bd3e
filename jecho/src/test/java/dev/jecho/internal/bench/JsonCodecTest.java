package dev.jecho.internal.bench;

import dev.jecho.Service;
import dev.jecho.internal.protocol.json.JsonProblem;
import dev.jecho.internal.protocol.json.JsonTranscoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON messages: every request is a JSON value whose compact form is itself, so the reply jecho's own
 * transcoder makes of it (echo, or string values upper-cased) is exactly what the reader expects, however
 * the stream splits it; anything else is a mismatch from the first wrong byte.
 */
class JsonCodecTest {

    private static byte[] request(JsonCodec codec, long seq, int size) {
        ByteBuf b = codec.request(ByteBufAllocator.DEFAULT, seq, size);
        try {
            byte[] out = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            b.release();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** What jecho's JSON service answers to one line: the value re-serialized by the server's transcoder, a newline. */
    private static byte[] serverReply(byte[] line, Service service) throws JsonProblem {
        ByteBuf in = Unpooled.wrappedBuffer(line, 0, line.length - 1);
        ByteBuf out = Unpooled.buffer();
        try {
            JsonTranscoder.transcode(in, out, service.inPlace() == Service.InPlace.UNCHANGED ? null : service::replyToText);
            out.writeByte('\n');
            byte[] reply = new byte[out.readableBytes()];
            out.readBytes(reply);
            return reply;
        } finally {
            in.release();
            out.release();
        }
    }

    /** JSON Lines requests whose replies are held to {@code service}, or unchecked (null). */
    private static JsonCodec lines(Service service) {
        return new JsonCodec(Payloads.heldTo(service, true, 4096), true);
    }

    @Test
    void smallRequestsAreStringsAndLargerOnesObjectsWithAnEightDigitNumber() {
        JsonCodec codec = lines(Service.ECHO);
        assertThat(text(request(codec, 0, 2))).isEqualTo("\"\"\n");
        assertThat(text(request(codec, 3, 7))).isEqualTo("\"defgh\"\n");
        assertThat(text(request(codec, 0, 20))).isEqualTo("\"abcdefghijklmnopqr\"\n");
        assertThat(text(request(codec, 0, 21))).isEqualTo("{\"n\":10000000,\"s\":\"\"}\n");
        assertThat(text(request(codec, 42, 26))).isEqualTo("{\"n\":10000042,\"s\":\"qrstu\"}\n");
        assertThat(text(request(codec, 90_000_001L, 22))).as("the number wraps, always 8 digits")
                .isEqualTo("{\"n\":10000001,\"s\":\"n\"}\n"); // 90000001 mod 26 = 13: n
        for (int size = 2; size <= 300; size++) {
            assertThat(request(codec, size, size)).as("size %d", size).hasSize(size + 1);
        }
    }

    @Test
    void theServersTranscoderAnswersEachRequestWithExactlyTheReplyTheCheckExpects() throws Exception {
        for (Service service : new Service[] {Service.ECHO, Service.UPPER}) {
            JsonCodec codec = lines(service);
            for (int size : new int[] {2, 3, 20, 21, 22, 64, 1000, 4096}) {
                for (long seq : new long[] {0, 1, 25, 26, 12345}) {
                    byte[] line = request(codec, seq, size);
                    byte[] reply = serverReply(line, service);
                    assertThat(reply).as("%s, size %d: the reply is as long as the request", service, size).hasSize(line.length);
                    ByteBuf in = Unpooled.wrappedBuffer(reply);
                    assertThat(codec.newReader().read(in, seq, size)).as("%s, size %d, seq %d", service, size, seq)
                            .isEqualTo(MessageCodec.COMPLETE);
                    assertThat(in.isReadable()).isFalse();
                }
            }
        }
    }

    @Test
    void theUpperCheckWantsStringValuesUpperCasedAndKeysLeftAlone() {
        JsonCodec codec = lines(Service.UPPER);
        String good = "{\"n\":10000001,\"s\":\"BCDE\"}\n";
        assertThat(codec.newReader().read(Unpooled.copiedBuffer(good, StandardCharsets.US_ASCII), 1, 25))
                .isEqualTo(MessageCodec.COMPLETE);
        String upperKeys = "{\"N\":10000001,\"S\":\"BCDE\"}\n";
        assertThat(codec.newReader().read(Unpooled.copiedBuffer(upperKeys, StandardCharsets.US_ASCII), 1, 25))
                .isEqualTo(MessageCodec.MISMATCH);
        String echoed = "{\"n\":10000001,\"s\":\"bcde\"}\n";
        assertThat(codec.newReader().read(Unpooled.copiedBuffer(echoed, StandardCharsets.US_ASCII), 1, 25))
                .isEqualTo(MessageCodec.MISMATCH);
    }

    @Test
    void aReplySplitAtEveryOffsetIsCompleteExactlyAtItsLastByteWithTheNextOneLeftBehindIt() {
        JsonCodec codec = lines(Service.ECHO);
        byte[] first = request(codec, 7, 40);
        byte[] second = request(codec, 8, 40);
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        for (int split = 0; split <= first.length; split++) {
            MessageCodec.ReplyReader reader = codec.newReader();
            ByteBuf a = Unpooled.wrappedBuffer(both, 0, split);
            ByteBuf b = Unpooled.wrappedBuffer(both, split, both.length - split);
            int verdict = reader.read(a, 7, 40);
            if (split < first.length) {
                assertThat(verdict).as("split at %d", split).isEqualTo(MessageCodec.PARTIAL);
                assertThat(reader.read(b, 7, 40)).as("split at %d", split).isEqualTo(MessageCodec.COMPLETE);
            } else {
                assertThat(verdict).isEqualTo(MessageCodec.COMPLETE);
            }
            assertThat(b.readableBytes()).as("the next reply is left for its request").isEqualTo(second.length);
            assertThat(reader.read(b, 8, 40)).isEqualTo(MessageCodec.COMPLETE);
        }
    }

    @Test
    void aWrongByteAnywhereAStaleReplyOrAnErrorObjectIsAMismatch() {
        JsonCodec codec = lines(Service.ECHO);
        byte[] good = request(codec, 7, 600);
        for (int at : new int[] {0, 1, 5, 12, 18, 19, 300, 597, 598, 599, 600}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x01;
            assertThat(codec.newReader().read(Unpooled.wrappedBuffer(bad), 7, 600)).as("byte %d", at)
                    .isEqualTo(MessageCodec.MISMATCH);
        }
        assertThat(codec.newReader().read(Unpooled.wrappedBuffer(good), 7 + 26, 600)).as("a reply to another request")
                .isEqualTo(MessageCodec.MISMATCH);
        byte[] error = "{\"error\":\"invalid_json\",\"detail\":\"...\"}\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(codec.newReader().read(Unpooled.wrappedBuffer(error), 7, 600)).isEqualTo(MessageCodec.MISMATCH);
    }

    @Test
    void withoutACheckAReplyIsTheNextLineWhateverItsLength() {
        JsonCodec codec = lines(null);
        MessageCodec.ReplyReader reader = codec.newReader();
        ByteBuf in = Unpooled.copiedBuffer("{\"error\":\"x\"", StandardCharsets.US_ASCII);
        assertThat(reader.read(in, 0, 64)).isEqualTo(MessageCodec.PARTIAL);
        ByteBuf rest = Unpooled.copiedBuffer("}\n\"next\"\n", StandardCharsets.US_ASCII);
        assertThat(reader.read(rest, 0, 64)).isEqualTo(MessageCodec.COMPLETE);
        assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("\"next\"\n");

        JsonCodec backToBack = new JsonCodec(Payloads.heldTo(null, true, 64), false);
        ByteBuf values = Unpooled.copiedBuffer("\"ANY\"\"x\"", StandardCharsets.US_ASCII);
        assertThat(backToBack.newReader().read(values, 0, 5)).as("the article's wire: as long as the request")
                .isEqualTo(MessageCodec.COMPLETE);
        assertThat(values.readableBytes()).isEqualTo(3);
    }

    @Test
    void theArticlesWireSendsStringsBackToBackWithoutNewlines() throws Exception {
        JsonCodec codec = new JsonCodec(Payloads.heldTo(Service.ECHO, true, 64), false);
        assertThat(text(request(codec, 1, 30))).isEqualTo("\"bcdefghijklmnopqrstuvwxyzabc\"");
        assertThat(codec.replyLength(30)).isEqualTo(30);
        byte[] two = (text(request(codec, 1, 30)) + text(request(codec, 2, 5))).getBytes(StandardCharsets.US_ASCII);
        ByteBuf in = Unpooled.wrappedBuffer(two);
        MessageCodec.ReplyReader reader = codec.newReader();
        assertThat(reader.read(in, 1, 30)).isEqualTo(MessageCodec.COMPLETE);
        assertThat(reader.read(in, 2, 5)).isEqualTo(MessageCodec.COMPLETE);
        assertThat(in.isReadable()).isFalse();
    }
}
