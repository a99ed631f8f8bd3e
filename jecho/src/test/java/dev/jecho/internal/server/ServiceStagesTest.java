package dev.jecho.internal.server;

import dev.jecho.Keyring;
import dev.jecho.ListenerRecorder;
import dev.jecho.Service;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.datagram.ReplayWindows;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's stages for services other than the in-place ones, in EmbeddedChannels: a line service on a raw
 * stream, a service that never replies, a service's reply to a datagram (never larger than the datagram), and
 * JSON values a service answers nothing to.
 */
class ServiceStagesTest {

    private static final Service REVERSE = Service.lines("reverse", line -> new StringBuilder(line).reverse().toString());

    private static String output(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static EmbeddedChannel lines(Service service, int maxLine) {
        return new EmbeddedChannel(new LineFramer(maxLine), new MessageServiceHandler(service, true, maxLine));
    }

    @Test
    void aLineServiceAnswersEachLineWithTheLineEndItCameWithHoweverTheStreamIsCut() {
        EmbeddedChannel ch = lines(REVERSE, 1024);
        send(ch, "hel");
        assertThat(output(ch)).as("half a line is no message").isEmpty();
        send(ch, "lo\nab\r\n\nx");
        assertThat(output(ch)).isEqualTo("olleh\nba\r\n\n");
        send(ch, "yz\n");
        assertThat(output(ch)).isEqualTo("zyx\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theLastLineWithoutAnEndIsAnsweredWhenTheClientEndsItsStream() {
        EmbeddedChannel ch = lines(REVERSE, 1024);
        send(ch, "one\ntwo");
        assertThat(output(ch)).isEqualTo("eno\n");
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(output(ch)).as("as readline() returns it, and without a line end").isEqualTo("owt");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLineTheServiceAnswersNothingToGetsNothingBack() {
        EmbeddedChannel ch = lines(Service.lines("quiet", line -> line.startsWith("#") ? null : line), 1024);
        send(ch, "# a comment\nkept\n");
        assertThat(output(ch)).isEqualTo("kept\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLineLongerThanTheLimitClosesTheConnection() {
        EmbeddedChannel ch = lines(REVERSE, 16);
        send(ch, "short\n" + "x".repeat(40));
        assertThat(output(ch)).isEqualTo("trohs\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aServiceThatNeverRepliesHasItsInputReleasedUnread() {
        EmbeddedChannel ch = new EmbeddedChannel(DiscardHandler.INSTANCE);
        ByteBuf in = Unpooled.copiedBuffer("into the void", StandardCharsets.US_ASCII);
        ch.writeInbound(in);
        assertThat(in.refCnt()).isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aByteServiceWithoutAnInPlaceTransformRepliesPerChunk() {
        Service twice = new Service() {
            @Override
            public String name() {
                return "twice";
            }

            @Override
            public byte[] reply(byte[] message) {
                byte[] out = Arrays.copyOf(message, message.length * 2);
                System.arraycopy(message, 0, out, message.length, message.length);
                return out;
            }

            @Override
            public Framing framing() {
                return Framing.BYTES;
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new MessageServiceHandler(twice, false, 1024));
        send(ch, "ab");
        send(ch, "c\n");
        assertThat(output(ch)).isEqualTo("ababc\nc\n");
        assertThat(ch.finish()).isFalse();
    }

    private static DatagramPacket datagram(String text) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 8888), new InetSocketAddress("127.0.0.1", 40000));
    }

    private static List<String> datagrams(EmbeddedChannel ch) {
        List<String> out = new java.util.ArrayList<>();
        DatagramPacket p;
        while ((p = ch.readOutbound()) != null) {
            out.add(p.content().toString(StandardCharsets.UTF_8));
            p.release();
        }
        return out;
    }

    @Test
    void discardAnswersNoDatagramAndCountsItReceived() {
        ServerCounters stats = new ServerCounters(new OpenConnections());
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramServiceHandler(Service.DISCARD, stats, ListenerRecorder.NONE, 64));
        DatagramPacket packet = datagram("hello");
        ch.writeInbound(packet, datagram(""));
        assertThat(datagrams(ch)).isEmpty();
        assertThat(packet.refCnt()).isZero();
        assertThat(stats.datagramsReceived()).isEqualTo(2);
        assertThat(stats.datagramsDropped()).as("no reply is no drop").isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aServicesReplyToADatagramGoesBackUnlessItIsLargerThanTheDatagram() {
        ServerCounters stats = new ServerCounters(new OpenConnections());
        Service grow = Service.lines("grow", line -> line.equals("big") ? "a much larger reply" : new StringBuilder(line).reverse().toString());
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramServiceHandler(grow, stats, ListenerRecorder.NONE, 64));
        ch.writeInbound(datagram("hello\n"), datagram("big"));
        assertThat(datagrams(ch)).as("no amplification: the larger reply is dropped").containsExactly("olleh\n");
        assertThat(stats.datagramsDropped()).isEqualTo(1);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aTaggedDatagramToDiscardGetsNoReply() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x42);
        SharedKey key = new SharedKey("k", secret);
        Keyring keys = key.toKeyring();
        ServerCounters stats = new ServerCounters(new OpenConnections());
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramServiceHandler(Service.DISCARD, stats, ListenerRecorder.NONE,
                65536, null, List.of(), keys, ReplayWindows.of(keys)));
        ByteBuf sealed = TaggedDatagram.seal(io.netty.buffer.ByteBufAllocator.DEFAULT, key, System.currentTimeMillis(), new byte[TaggedDatagram.NONCE_LENGTH],
                "hello".getBytes(StandardCharsets.UTF_8));
        ch.writeInbound(new DatagramPacket(sealed, new InetSocketAddress("127.0.0.1", 8888), new InetSocketAddress("127.0.0.1", 40000)));
        assertThat(datagrams(ch)).isEmpty();
        assertThat(stats.datagramsDropped()).as("accepted, and answered with nothing").isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aJsonMessageWithAStringTheServiceAnswersNothingToGetsNoReply() {
        Service some = Service.lines("some", text -> text.equals("skip") ? null : text.toUpperCase(java.util.Locale.ROOT));
        EmbeddedChannel ch = new EmbeddedChannel(new io.netty.handler.codec.LineBasedFrameDecoder(1024, true, true),
                new JsonServiceHandler(some, true, 1024));
        send(ch, "[\"a\",\"skip\"]\n{\"k\":\"b\"}\n42\n");
        assertThat(output(ch)).isEqualTo("{\"k\":\"B\"}\n42\n");
        assertThat(ch.finish()).isFalse();
    }
}
