package dev.jecho.internal.protocol.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.testing.FuzzCorpus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated input for the JSON line decoder and the back-to-back value framer with the transcoder behind
 * them: bytes into an EmbeddedChannel, then finishAndReleaseAll. Every message gets either its value
 * back as valid compact JSON or an error object with a documented code; nothing escapes, nothing leaks.
 */
class JsonFuzzTest {

    private static final ObjectMapper STRICT = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build());
    private static final Set<String> CODES = Set.of(JsonErrors.INVALID_JSON, JsonErrors.INVALID_UTF8, JsonErrors.TOO_DEEP);
    private static final int MAX = 512;

    /** What the server's JSON service does, without the server: transcode each frame or name its problem. */
    private static final class Transcode extends ChannelInboundHandlerAdapter {
        final List<String> replies = new ArrayList<>();
        boolean tooLong;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            ByteBuf out = Unpooled.buffer();
            try {
                if (in.forEachByte(b -> b == ' ' || b == '\t' || b == '\r' || b == '\n') >= 0) {
                    JsonTranscoder.transcode(in, out, s -> s.toUpperCase(java.util.Locale.ROOT));
                    replies.add(out.toString(StandardCharsets.UTF_8));
                }
            } catch (JsonProblem p) {
                assertThat(CODES).contains(p.code());
                replies.add("error:" + p.code());
            } finally {
                in.release();
                out.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            assertThat(cause).isInstanceOf(TooLongFrameException.class);
            tooLong = true;
            ctx.close();
        }
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,\\ \n0123456789.eE-+truefalsn\u00fc\u20ac")
                .ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, jsonish);
    }

    @Property(tries = 400)
    void jsonLinesAreAnsweredOrRefusedAsDocumented(@ForAll("inputs") byte[] input, @ForAll @IntRange(min = 1, max = 64) int segment) {
        run(new LineBasedFrameDecoder(MAX, true, true), input, segment);
    }

    @Property(tries = 400)
    void backToBackValuesAreAnsweredOrRefusedAsDocumented(@ForAll("inputs") byte[] input, @ForAll @IntRange(min = 1, max = 64) int segment) {
        run(new JsonValueFramer(MAX), input, segment);
    }

    @Test
    void theStoredCorpusIsHandledLikeAnyInput() {
        List<byte[]> corpus = FuzzCorpus.load("json");
        assertThat(corpus).hasSizeGreaterThan(5);
        for (byte[] input : corpus) {
            for (int segment : new int[] {1, 7, 1 << 20}) {
                run(new LineBasedFrameDecoder(MAX, true, true), input, segment);
                run(new JsonValueFramer(MAX), input, segment);
            }
        }
    }

    private static void run(io.netty.channel.ChannelHandler framer, byte[] input, int segment) {
        Transcode service = new Transcode();
        EmbeddedChannel ch = new EmbeddedChannel(framer, service);
        for (int i = 0; i < input.length && ch.isOpen(); i += segment) {
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(segment, input.length - i)));
        }
        ch.finishAndReleaseAll();
        ch.checkException();
        for (String reply : service.replies) {
            if (!reply.startsWith("error:")) {
                try {
                    STRICT.readTree(reply);
                } catch (Exception e) {
                    throw new AssertionError("a reply is not valid JSON: " + reply, e);
                }
                assertThat(reply).doesNotContain("\n");
            }
        }
        if (!ch.isOpen() && service.tooLong) {
            assertThat(input.length).isGreaterThan(MAX);
        }
    }
}
