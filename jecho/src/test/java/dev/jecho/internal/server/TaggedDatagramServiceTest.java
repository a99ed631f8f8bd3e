package dev.jecho.internal.server;

import dev.jecho.Keyring;
import dev.jecho.ServerStats;
import dev.jecho.Service;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** With a secret set, UDP answers only fresh, correctly tagged datagrams, with tagged replies no larger. */
class TaggedDatagramServiceTest {

    private static final SharedKey KEY = new SharedKey("udp", filled(0x42, 32));
    private static final SharedKey WRONG = new SharedKey("udp", filled(0x43, 32));
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private final ServerCounters stats = new ServerCounters(new OpenConnections());
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new DatagramServiceHandler(Service.UPPER, stats, dev.jecho.ListenerRecorder.NONE, 65536, null, java.util.List.of(), KEY.toKeyring(),
                    dev.jecho.internal.protocol.datagram.ReplayWindows.of(KEY.toKeyring())));

    @AfterEach
    void finish() {
        assertThat(ch.finish()).isFalse();
    }

    private static byte[] filled(int value, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static ByteBuf request(SharedKey key, long timestamp, byte[] nonce, String payload) {
        return TaggedDatagram.seal(ByteBufAllocator.DEFAULT, key, timestamp, nonce, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void send(ByteBuf content) {
        ch.writeInbound(new DatagramPacket(content, new InetSocketAddress("127.0.0.1", 8888), CLIENT));
    }

    @Test
    void aTaggedDatagramGetsATaggedReplyNoLargerThanItself() {
        byte[] nonce = filled(1, 16);
        ByteBuf request = request(KEY, System.currentTimeMillis(), nonce, "hello");
        int requestSize = request.readableBytes();
        send(request);
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.recipient()).isEqualTo(CLIENT);
        assertThat(reply.content().readableBytes()).isLessThan(requestSize);
        assertThat(TaggedDatagram.openReply(reply.content(), KEY, nonce)).isEqualTo("HELLO".getBytes(StandardCharsets.UTF_8));
        assertThat(TaggedDatagram.openReply(reply.content(), KEY, filled(2, 16))).as("another request's nonce").isNull();
        assertThat(TaggedDatagram.openReply(reply.content(), WRONG, nonce)).as("another key").isNull();
        reply.release();
    }

    @Test
    void anEmptyPayloadIsAMessageToo() {
        byte[] nonce = filled(9, 16);
        send(request(KEY, System.currentTimeMillis(), nonce, ""));
        DatagramPacket reply = ch.readOutbound();
        assertThat(TaggedDatagram.openReply(reply.content(), KEY, nonce)).isEmpty();
        reply.release();
    }

    @Test
    void untaggedDatagramsGetNoReply() {
        send(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        send(Unpooled.EMPTY_BUFFER);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(stats.datagramsDropped()).isEqualTo(2);
    }

    @Test
    void aWronglyTaggedDatagramGetsNoReply() {
        send(request(WRONG, System.currentTimeMillis(), filled(3, 16), "forged"));
        ByteBuf flipped = request(KEY, System.currentTimeMillis(), filled(4, 16), "tampered");
        flipped.setByte(flipped.writerIndex() - 40, flipped.getByte(flipped.writerIndex() - 40) ^ 1);
        send(flipped);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(stats.datagramsDropped()).isEqualTo(2);
    }

    @Test
    void aStaleDatagramGetsNoReply() {
        send(request(KEY, System.currentTimeMillis() - 60_000, filled(5, 16), "old"));
        send(request(KEY, System.currentTimeMillis() + 60_000, filled(6, 16), "from the future"));
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(stats.datagramsDropped()).isEqualTo(2);
    }

    @Test
    void aReplayedDatagramGetsNoSecondReply() {
        ByteBuf request = request(KEY, System.currentTimeMillis(), filled(7, 16), "once");
        ByteBuf replay = request.copy();
        send(request);
        DatagramPacket first = ch.readOutbound();
        assertThat(first).isNotNull();
        first.release();
        send(replay);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(stats.datagramsDropped()).isEqualTo(1);
    }

    @Test
    void anUnknownKeyIdGetsNoReply() {
        send(request(new SharedKey("other", filled(0x42, 32)), System.currentTimeMillis(), filled(8, 16), "who"));
        assertThat((Object) ch.readOutbound()).isNull();
    }
}
