package dev.jecho.internal.server;

import dev.jecho.ServerConfig;
import dev.jecho.ServerConfigAccess;
import dev.jecho.ServerStats;
import dev.jecho.Service;
import dev.jecho.testing.Corpus;
import dev.jecho.testing.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole stream pipeline as the server builds it (admission, tracker, backpressure, service, half-close,
 * errors), fed arbitrary bytes cut at arbitrary places, with water marks small enough that backpressure
 * switches on and off: the replies are the service's transform of the input, byte for byte, in order; with
 * {@code --json}, every line gets one reply line, valid JSON or a documented error object. The
 * stored corpus is replayed whole, split at every offset, and one byte at a time (Netty's decoder-test
 * pattern); the property runs a fixed number of generated cases.
 */
class StreamPipelineFuzzTest {

    private static EmbeddedChannel pipeline(Service service) {
        OpenConnections open = new OpenConnections();
        ServerCounters stats = new ServerCounters(open);
        ServerConfig config = ServerConfig.builder().service(service).maxConnectionsPerIp(4).build();
        SourceLimits limits = new SourceLimits(ServerConfigAccess.limits(config), new java.util.Random(1), new ConnectionLog(false));
        EmbeddedChannel ch = new EmbeddedChannel(new StreamChannelInitializer(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, true),
                ServerConfigAccess.streamPipeline(config, limits, null), null));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64, 256));
        return ch;
    }

    /** Feeds the chunks, reading the replies as a client would after each one; returns every reply byte. */
    private static byte[] run(Service service, List<byte[]> chunks) {
        EmbeddedChannel ch = pipeline(service);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            drain(ch, out);
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat((Object) ch.readInbound()).as("nothing leaks past the service").isNull();
        ch.finishAndReleaseAll();
        drain(ch, out);
        return out.toByteArray();
    }

    private static void drain(EmbeddedChannel ch, ByteArrayOutputStream out) {
        ByteBuf reply;
        while ((reply = ch.readOutbound()) != null) {
            byte[] b = new byte[reply.readableBytes()];
            reply.readBytes(b).release();
            out.writeBytes(b);
        }
    }

    private static List<byte[]> cut(byte[] input, List<Integer> cuts) {
        java.util.ArrayList<byte[]> chunks = new java.util.ArrayList<>();
        int from = 0;
        for (int c : cuts.stream().map(c -> Math.min(c, input.length)).sorted().distinct().toList()) {
            chunks.add(java.util.Arrays.copyOfRange(input, from, c));
            from = c;
        }
        chunks.add(java.util.Arrays.copyOfRange(input, from, input.length));
        return chunks;
    }

    @Property(tries = 300, seed = "20261126")
    void anyBytesCutAnywhereComeBackTransformedInOrder(@ForAll("inputs") byte[] input,
                                                        @ForAll("cuts") List<@IntRange(min = 0, max = 20_000) Integer> cuts) {
        assertThat(run(Service.UPPER, cut(input, cuts))).isEqualTo(Payloads.upper(input));
        assertThat(run(Service.ECHO, cut(input, cuts))).isEqualTo(input);
    }

    @Test
    void theStoredCorpusComesBackWholeSplitAtEveryOffsetAndOneByteAtATime() throws Exception {
        List<Path> files = Corpus.files("stream");
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (Path file : files) {
            byte[] input = Files.readAllBytes(file);
            byte[] expected = Payloads.upper(input);
            assertThat(run(Service.UPPER, List.of(input))).as("%s whole", file.getFileName()).isEqualTo(expected);
            if (input.length <= 2048) {
                for (int at = 0; at <= input.length; at++) {
                    assertThat(run(Service.UPPER, cut(input, List.of(at)))).as("%s split at %d", file.getFileName(), at).isEqualTo(expected);
                }
            }
            List<byte[]> bytes = new java.util.ArrayList<>();
            for (byte b : input) {
                bytes.add(new byte[] {b});
            }
            assertThat(run(Service.UPPER, bytes)).as("%s one byte at a time", file.getFileName()).isEqualTo(expected);
        }
    }

    // --- JSON mode: the same pipeline with --json ------------------------------------------------------------

    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = new com.fasterxml.jackson.databind.ObjectMapper(
            com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints
                    .builder().maxNumberLength(Integer.MAX_VALUE).build()).build());
    private static final java.util.regex.Pattern ERROR = java.util.regex.Pattern.compile(
            "\\{\"error\":\"(invalid_json|invalid_utf8|too_deep)\",\"detail\":\".*\"}");

    private static byte[] runJson(List<byte[]> chunks) {
        OpenConnections open = new OpenConnections();
        ServerCounters stats = new ServerCounters(open);
        ServerConfig config = ServerConfig.builder().json(true).service(Service.UPPER).build();
        EmbeddedChannel ch = new EmbeddedChannel(new StreamChannelInitializer(
                TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, true),
                ServerConfigAccess.streamPipeline(config, null, dev.jecho.internal.protocol.json.PartialMessageBudget.UNLIMITED), null));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64, 256));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            drain(ch, out);
        }
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
        drain(ch, out);
        ch.checkException();
        return out.toByteArray();
    }

    /** Lines that end in a newline and hold something besides JSON whitespace: each gets one reply line. */
    private static int answerableLines(byte[] input) {
        int lines = 0;
        boolean blank = true;
        for (byte b : input) {
            if (b == '\n') {
                lines += blank ? 0 : 1;
                blank = true;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                blank = false;
            }
        }
        return lines;
    }

    private static void checkJson(byte[] input, List<byte[]> chunks) {
        String replies = new String(runJson(chunks), java.nio.charset.StandardCharsets.UTF_8);
        List<String> lines = replies.isEmpty() ? List.of() : List.of(replies.split("\n", -1));
        assertThat(replies.isEmpty() || replies.endsWith("\n")).as("whole reply lines").isTrue();
        List<String> replyLines = lines.isEmpty() ? List.of() : lines.subList(0, lines.size() - 1);
        assertThat(replyLines).as("one reply per line").hasSize(answerableLines(input));
        for (String reply : replyLines) {
            if (!ERROR.matcher(reply).matches()) {
                try {
                    STRICT.readTree(reply);
                } catch (Exception e) {
                    throw new AssertionError("neither JSON nor a documented error: " + reply, e);
                }
            }
        }
    }

    @Provide
    Arbitrary<byte[]> jsonish() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        Arbitrary<byte[]> text = Arbitraries.strings().withChars("{}[]\":,\\ \n\r\t0123456789.eE-+truefalsnu\u00fc\u20ac")
                .ofMaxLength(2000).map(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, text);
    }

    @Property(tries = 200, seed = "20261126")
    void inJsonModeEveryLineCutAnywhereGetsOneReplyThatIsJsonOrADocumentedError(@ForAll("jsonish") byte[] input,
                                                                             @ForAll("cuts") List<@IntRange(min = 0, max = 20_000) Integer> cuts) {
        checkJson(input, cut(input, cuts));
    }

    @Test
    void theStoredJsonCorpusThroughTheWholePipelineWholeAndOneByteAtATime() {
        for (byte[] input : dev.jecho.testing.FuzzCorpus.load("json")) {
            checkJson(input, List.of(input));
            List<byte[]> bytes = new java.util.ArrayList<>();
            for (byte b : input) {
                bytes.add(new byte[] {b});
            }
            checkJson(input, bytes);
        }
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 20_000).list().ofMaxSize(40);
    }
}
