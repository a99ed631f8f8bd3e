package dev.jecho.internal.service;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service seam: every built-in says what it is through the interface alone (what a message gets back,
 * how a stream is cut, whether it may run on UDP, what it sends unasked), the registry names them, and a
 * service of one's own is one factory call.
 */
class ServicesTest {

    private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

    private static byte[] bytes(String s) {
        return s.getBytes(UTF8);
    }

    @Test
    void theRegistryHasTheFourBuiltInsFirstAndFindsThemByNameIgnoringCase() {
        assertThat(Service.registered()).startsWith(Service.ECHO, Service.UPPER, Service.DISCARD, Service.CHARGEN);
        assertThat(Service.named("echo")).isSameAs(Service.ECHO);
        assertThat(Service.named(" Upper ")).isSameAs(Service.UPPER);
        assertThat(Service.named("DISCARD")).isSameAs(Service.DISCARD);
        assertThat(Service.named("chargen")).isSameAs(Service.CHARGEN);
        assertThatThrownBy(() -> Service.named("rot13")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown service 'rot13': use echo, upper, discard");
    }

    @Test
    void discardAnswersNothingAnywhereAndRunsOnUdp() {
        Service d = Service.DISCARD;
        assertThat(d.replies()).isFalse();
        assertThat(d.reply(bytes("hello"))).isNull();
        assertThat(d.replyToText("hello")).isNull();
        assertThat(d.datagrams()).isTrue();
        assertThat(d.output()).isNull();
        assertThat(d.framing()).isEqualTo(Service.Framing.BYTES);
    }

    @Test
    void chargenSendsUnaskedNeverRepliesAndStaysOffUdp() {
        Service c = Service.CHARGEN;
        assertThat(c.replies()).isFalse();
        assertThat(c.reply(bytes("hello"))).isNull();
        assertThat(c.datagrams()).as("CVE-1999-0103").isFalse();
        assertThat(c.output()).isNotNull();
    }

    /** RFC 864's pattern, written from the RFC: line n holds the 72 printable characters from the n-th on. */
    private static byte[] rfc864(long from, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = from + i;
            long line = at / 74;
            int column = (int) (at % 74);
            out[i] = column == 72 ? (byte) '\r' : column == 73 ? (byte) '\n' : (byte) (32 + (line + column) % 95);
        }
        return out;
    }

    private static byte[] chargen(long offset, int length) {
        ByteBuffer into = ByteBuffer.allocate(length);
        Service.CHARGEN.output().fill(offset, into);
        assertThat(into.hasRemaining()).as("filled to its limit").isFalse();
        return into.array();
    }

    @Test
    void chargenIsTheRfc864PatternFromTheFirstLine() {
        String first = new String(chargen(0, 74 * 3), StandardCharsets.US_ASCII);
        assertThat(first).startsWith(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n"
                + "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n");
        assertThat(chargen(0, 74 * 200)).isEqualTo(rfc864(0, 74 * 200)); // across the 95-line period
        assertThat(chargen(94 * 74, 74)).as("the last line of the period wraps around the printable set")
                .isEqualTo(bytes("~ !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdef\r\n"));
    }

    @Property(tries = 200)
    void chargenFromAnyOffsetContinuesTheSameStream(@ForAll @IntRange(min = 0, max = 2_000_000) int offset,
                                                    @ForAll @IntRange(min = 1, max = 20_000) int length) {
        assertThat(chargen(offset, length)).isEqualTo(rfc864(offset, length));
    }

    @Test
    void chargenFillsFromTheBuffersPositionToItsLimit() {
        ByteBuffer into = ByteBuffer.allocate(100).position(10).limit(30);
        Service.CHARGEN.output().fill(5, into);
        assertThat(into.position()).isEqualTo(30);
        assertThat(Arrays.copyOfRange(into.array(), 10, 30)).isEqualTo(rfc864(5, 20));
        assertThat(Arrays.copyOfRange(into.array(), 0, 10)).containsOnly(0);
    }

    /** The promise of a byte service: its reply to a stream does not depend on how the stream is cut. */
    @Property(tries = 300)
    void aByteServicesReplyToTwoChunksIsItsRepliesToEach(@ForAll @Size(max = 200) byte[] a, @ForAll @Size(max = 200) byte[] b) {
        for (Service s : Service.registered()) {
            if (s.framing() != Service.Framing.BYTES || !s.replies()) {
                continue;
            }
            byte[] joined = new byte[a.length + b.length];
            System.arraycopy(a, 0, joined, 0, a.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            byte[] ra = s.reply(a.clone());
            byte[] rb = s.reply(b.clone());
            byte[] both = new byte[ra.length + rb.length];
            System.arraycopy(ra, 0, both, 0, ra.length);
            System.arraycopy(rb, 0, both, ra.length, rb.length);
            assertThat(s.reply(joined)).as(s.name()).isEqualTo(both);
        }
    }

    /** The zero-copy path and the reply agree: the server may use either. */
    @Property(tries = 300)
    void anInPlaceTransformGivesTheServicesReply(@ForAll @Size(max = 300) byte[] message) {
        for (Service s : Service.registered()) {
            if (s.inPlace() == null) {
                continue;
            }
            ByteBuf buf = Unpooled.directBuffer(message.length + 3).writeZero(3).readerIndex(3).writeBytes(message);
            try {
                InPlaceBytes.apply(s.inPlace(), buf);
                assertThat(ByteBufUtil.getBytes(buf)).as(s.name()).isEqualTo(s.reply(message.clone()));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void aLineServiceIsOneFunctionOfALineAndKeepsTheLineEndOfAFramedMessage() {
        Service reverse = Service.lines("reverse", line -> new StringBuilder(line).reverse().toString());
        assertThat(reverse.name()).isEqualTo("reverse");
        assertThat(reverse.framing()).isEqualTo(Service.Framing.LINES);
        assertThat(reverse.inPlace()).isNull();
        assertThat(reverse.reply(bytes("hello"))).isEqualTo(bytes("olleh"));
        assertThat(reverse.reply(bytes("hello\n"))).as("a datagram from nc").isEqualTo(bytes("olleh\n"));
        assertThat(reverse.reply(bytes("hello\r\n"))).isEqualTo(bytes("olleh\r\n"));
        assertThat(reverse.reply(bytes("ünï"))).isEqualTo(bytes("ïnü"));
        assertThat(reverse.replyToText("abc")).isEqualTo("cba");

        Service quiet = Service.lines("quiet", line -> line.isEmpty() ? null : line);
        assertThat(quiet.reply(bytes("\n"))).as("no reply, not even the line end").isNull();
        assertThat(quiet.reply(bytes("x\n"))).isEqualTo(bytes("x\n"));
    }

    @Test
    void aServiceNameIsForACommandLine() {
        for (String bad : List.of("", "Reverse", "re verse", "1st", "-x", "x".repeat(33))) {
            assertThatThrownBy(() -> Service.lines(bad, line -> line)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a service name is");
        }
        assertThat(Service.lines("rot-13", line -> line).name()).isEqualTo("rot-13");
    }

    @Test
    void aServiceOfOnesOwnNeedsOnlyANameAndAReply() {
        Service custom = new Service() {
            @Override
            public String name() {
                return "hex";
            }

            @Override
            public byte[] reply(byte[] message) {
                return ByteBufUtil.hexDump(message).getBytes(StandardCharsets.US_ASCII);
            }
        };
        assertThat(custom.framing()).as("a message is a line unless it promises more").isEqualTo(Service.Framing.LINES);
        assertThat(custom.replies()).isTrue();
        assertThat(custom.datagrams()).isTrue();
        assertThat(custom.inPlace()).isNull();
        assertThat(custom.output()).isNull();
        assertThat(custom.replyToText("AB")).as("text through its reply, as UTF-8").isEqualTo("4142");
    }
}
