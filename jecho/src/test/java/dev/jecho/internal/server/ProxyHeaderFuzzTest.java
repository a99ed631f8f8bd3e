package dev.jecho.internal.server;

import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PeerAddress;
import dev.jecho.internal.server.ProxyHeaderHandlerTest.ProxiedChannel;
import dev.jecho.internal.server.ProxyHeaderHandlerTest.Recorder;
import dev.jecho.testing.FuzzCorpus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated input for the PROXY-protocol path, Netty's {@link HAProxyMessageDecoder} with
 * {@link ProxyHeaderHandler} behind it, from a trusted proxy's address, in the OSS-Fuzz manner: bytes into an
 * EmbeddedChannel in arbitrary segments, then finishAndReleaseAll. Whatever arrives, no exception escapes,
 * no buffer leaks, and the connection is in one of three documented states: still waiting while the bytes
 * may yet become a header (Netty's decoder needs 13 bytes to choose a version, and a v1 line may take 108);
 * refused and closed ({@code proxy_header_invalid}) with nothing passed on; or accepted,
 * the client's address announced once and every byte after the header passed on unchanged. Well-formed v1
 * and v2 headers with random addresses, ports and TLVs are always accepted with the address they name. The
 * stored corpus ({@code fuzz/proxy}) is replayed whole, in 7-byte segments and one byte at a time.
 */
class ProxyHeaderFuzzTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 50000);
    private static final byte[] V1_START = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");

    /** What became of the connection. */
    record Outcome(boolean open, List<Object> events, byte[] passedOn) {
    }

    private static Outcome run(byte[] input, int segment) throws Exception {
        Recorder seen = new Recorder();
        ProxiedChannel ch = ProxiedChannel.open(PROXY, new HAProxyMessageDecoder(),
                new ProxyHeaderHandler(TrustedProxies.of(List.of("127.0.0.0/8")), TimeUnit.SECONDS.toNanos(3)), seen);
        for (int i = 0; i < input.length && ch.isOpen(); i += segment) {
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(segment, input.length - i)));
        }
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        for (ByteBuf b : seen.reads) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes).release();
            passed.writeBytes(bytes);
        }
        Outcome outcome = new Outcome(ch.isOpen(), List.copyOf(seen.events), passed.toByteArray());
        if (outcome.open && !outcome.events.isEmpty()) {
            assertThat(ch.pipeline().get(ProxyHeaderHandler.class)).as("removed once done").isNull();
            assertThat(ch.pipeline().get(HAProxyMessageDecoder.class)).isNull();
        }
        ch.finishAndReleaseAll();
        ch.checkException();
        return outcome;
    }

    /** The invariants that hold whatever the input. */
    private static Outcome check(byte[] input, int segment) throws Exception {
        Outcome o = run(input, segment);
        if (o.open && o.events.isEmpty()) {
            assertThat(o.passedOn).as("nothing passes before a header").isEmpty();
            assertThat(mayStillBeAHeader(input)).as("waiting only while the input may still become a header").isTrue();
        } else if (!o.open) {
            assertThat(o.events).singleElement().isEqualTo(new ConnectionEvents.Refused("proxy_header_invalid"));
            assertThat(o.passedOn).as("a refused connection passes nothing on").isEmpty();
        } else {
            assertThat(o.events).singleElement().isInstanceOf(ConnectionEvents.PeerKnown.class);
            assertThat(input).as("what is passed on is what followed the header")
                    .endsWith(o.passedOn.length == 0 ? new byte[0] : o.passedOn);
            assertThat(o.passedOn.length).isLessThan(Math.max(1, input.length));
        }
        return o;
    }

    /**
     * Netty's decoder waits for 13 bytes to tell v2 from v1; a v2 header is as long as it announces; a v1
     * header is a line of at most 108 bytes ending in CRLF.
     */
    private static boolean mayStillBeAHeader(byte[] input) {
        if (input.length < 13) {
            return true;
        }
        if (Arrays.equals(input, 0, V2_SIGNATURE.length, V2_SIGNATURE, 0, V2_SIGNATURE.length)) {
            return input.length < 16 || input.length < 16 + ((input[14] & 0xff) << 8 | input[15] & 0xff);
        }
        for (int i = 0; i + 1 < input.length; i++) {
            if (input[i] == '\r' && input[i + 1] == '\n') {
                return false;
            }
        }
        return input.length <= 108;
    }

    @Provide
    Arbitrary<byte[]> anything() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> v1ish = Arbitraries.strings().withChars("PROXY TCP46UNKOW0123456789.:abcdef \r\n").ofMaxLength(130)
                .map(s -> ("PROXY " + s).getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> v2ish = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(tail -> {
            byte[] b = Arrays.copyOf(V2_SIGNATURE, V2_SIGNATURE.length + tail.length);
            System.arraycopy(tail, 0, b, V2_SIGNATURE.length, tail.length);
            return b;
        });
        return Arbitraries.oneOf(random, v1ish, v2ish);
    }

    @Property(tries = 400, seed = "20261126")
    void anyBytesFromATrustedProxyAreWaitedForRefusedOrAccepted(@ForAll("anything") byte[] input,
                                                                @ForAll @IntRange(min = 1, max = 40) int segment) throws Exception {
        check(input, segment);
    }

    /** A well-formed header naming {@code client}, and what the client sent after it. */
    record Framed(byte[] bytes, InetSocketAddress client, byte[] payload) {
    }

    @Provide
    Arbitrary<Framed> wellFormed() {
        Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(ProxyHeaderFuzzTest::address);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(ProxyHeaderFuzzTest::address);
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> tlvs = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMaxSize(3).map(values -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] v : values) {
                out.write(0x04); // PP2_TYPE_NOOP: any content
                out.write(v.length >> 8);
                out.write(v.length);
                out.writeBytes(v);
            }
            return out.toByteArray();
        });
        return Combinators.combine(Arbitraries.oneOf(v4, v6), port, Arbitraries.of(true, false), tlvs, payload)
                .as((source, sourcePort, v1, tlv, data) -> {
                    InetSocketAddress client = new InetSocketAddress(source, sourcePort);
                    byte[] header = v1 ? v1Header(client) : v2Header(client, tlv);
                    byte[] all = Arrays.copyOf(header, header.length + data.length);
                    System.arraycopy(data, 0, all, header.length, data.length);
                    return new Framed(all, client, data);
                });
    }

    @Property(tries = 300, seed = "20261126")
    void aWellFormedHeaderAnnouncesTheClientItNamesAndPassesTheRestOnUnchanged(@ForAll("wellFormed") Framed framed,
                                                                            @ForAll @IntRange(min = 1, max = 64) int segment) throws Exception {
        Outcome o = check(framed.bytes(), segment);
        assertThat(o.open()).isTrue();
        assertThat(o.events()).containsExactly(new ConnectionEvents.PeerKnown(framed.client()));
        assertThat(o.passedOn()).isEqualTo(framed.payload());
    }

    @Test
    void theStoredCorpusIsHandledLikeAnyInput() throws Exception {
        List<byte[]> corpus = FuzzCorpus.load("proxy");
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(20);
        int accepted = 0;
        int refused = 0;
        for (byte[] input : corpus) {
            Outcome whole = check(input, Math.max(1, input.length));
            for (int segment : new int[] {1, 7}) {
                Outcome cut = check(input, segment);
                assertThat(cut.open()).as("however it is segmented").isEqualTo(whole.open());
                assertThat(cut.events()).isEqualTo(whole.events());
                assertThat(cut.passedOn()).isEqualTo(whole.passedOn());
            }
            accepted += whole.open() && !whole.events().isEmpty() ? 1 : 0;
            refused += whole.open() ? 0 : 1;
        }
        assertThat(accepted).as("the corpus holds headers that are accepted").isGreaterThanOrEqualTo(5);
        assertThat(refused).as("and ones that are refused").isGreaterThanOrEqualTo(5);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] v1Header(InetSocketAddress client) {
        boolean v6 = client.getAddress().getAddress().length == 16;
        String text = "PROXY " + (v6 ? "TCP6 " : "TCP4 ") + client.getAddress().getHostAddress() + " "
                + (v6 ? "::1" : "127.0.0.1") + " " + client.getPort() + " 8888\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2Header(InetSocketAddress client, byte[] tlvs) {
        byte[] source = client.getAddress().getAddress();
        boolean v6 = source.length == 16;
        int length = 2 * source.length + 4 + tlvs.length;
        ByteBuffer b = ByteBuffer.allocate(16 + length).put(V2_SIGNATURE).put((byte) 0x21).put((byte) (v6 ? 0x21 : 0x11))
                .putShort((short) length).put(source).put(new byte[source.length]).putShort((short) client.getPort())
                .putShort((short) 8888).put(tlvs);
        return b.array();
    }
}
