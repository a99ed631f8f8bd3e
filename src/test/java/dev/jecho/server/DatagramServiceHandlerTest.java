package dev.jecho.server;

import dev.jecho.service.Service;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramServiceHandlerTest {

    private final ServerStats stats = new ServerStats(new OpenConnections());
    private final EmbeddedChannel ch = new EmbeddedChannel(new DatagramServiceHandler(Service.UPPER, stats, dev.jecho.metrics.ListenerRecorder.NONE, 64));

    private static DatagramPacket from(int port, String text) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 8888), new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void eachDatagramIsAnsweredToItsSender() {
        ch.writeInbound(from(40000, "hello"));
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.recipient().getPort()).isEqualTo(40000);
        assertThat(reply.content().toString(StandardCharsets.UTF_8)).isEqualTo("HELLO");
        reply.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void datagramsFromPrivilegedPortsGetNoReplyAndAreCounted() {
        ch.writeInbound(from(7, "echo loop"));     // the echo port of another server
        ch.writeInbound(from(19, "chargen"));
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(stats.datagramsDropped()).isEqualTo(2);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aDatagramThatFilledTheReceiveBufferIsDroppedNotEchoedTruncated() {
        ch.writeInbound(from(40000, "x".repeat(64)));
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(stats.datagramsDropped()).isEqualTo(1);
        ch.writeInbound(from(40000, "x".repeat(63)));
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.content().readableBytes()).isEqualTo(63);
        reply.release();
        assertThat(ch.finish()).isFalse();
    }
}
