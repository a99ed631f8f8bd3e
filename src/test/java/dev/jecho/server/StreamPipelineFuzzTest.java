package dev.jecho.server;

import dev.jecho.service.Service;
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
 * switches on and off: the replies are the service's transform of the input, byte for byte, in order. The
 * stored corpus is replayed whole, split at every offset, and one byte at a time (Netty's decoder-test
 * pattern); the property runs a fixed number of generated cases.
 */
class StreamPipelineFuzzTest {

    private static EmbeddedChannel pipeline(Service service) {
        OpenConnections open = new OpenConnections();
        ServerStats stats = new ServerStats(open);
        ServerConfig config = ServerConfig.builder().service(service).maxConnectionsPerIp(4).build();
        SourceLimits limits = new SourceLimits(config, new java.util.Random(1), new ConnectionLog(false));
        EmbeddedChannel ch = new EmbeddedChannel(new StreamChannelInitializer(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, true), config, null, limits));
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

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 20_000).list().ofMaxSize(40);
    }
}
