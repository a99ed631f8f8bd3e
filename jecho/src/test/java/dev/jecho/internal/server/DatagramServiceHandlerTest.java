package dev.jecho.internal.server;

import dev.jecho.ServerStats;
import dev.jecho.Service;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramServiceHandlerTest {

    private final ServerCounters stats = new ServerCounters(new OpenConnections());
    private final EmbeddedChannel ch = new EmbeddedChannel(new DatagramServiceHandler(Service.UPPER, stats, dev.jecho.ListenerRecorder.NONE, 64));

    private static DatagramPacket from(int port, String text) {
        return from("127.0.0.1", port, text);
    }

    private static DatagramPacket from(String ip, int port, String text) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 8888), new InetSocketAddress(ip, port));
    }

    private static int replies(EmbeddedChannel ch) {
        int n = 0;
        DatagramPacket reply;
        while ((reply = ch.readOutbound()) != null) {
            reply.release();
            n++;
        }
        return n;
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

    @Test
    void aFloodFromOneSourceIsCappedWhileOtherSourcesAndExemptOnesAreAnswered() {
        ServerCounters counted = new ServerCounters(new OpenConnections());
        EmbeddedChannel limited = new EmbeddedChannel(new DatagramServiceHandler(Service.ECHO, counted, dev.jecho.ListenerRecorder.NONE, 65508,
                new DatagramRateLimiter(10, 3, 100), List.of(Cidr.parse("10.0.0.0/8")), null, null));
        for (int i = 0; i < 50; i++) {
            limited.writeInbound(from("192.0.2.1", 40000, "flood"));
        }
        assertThat(replies(limited)).as("a frozen clock: the burst only").isEqualTo(3);
        assertThat(counted.datagramsRateLimited()).isEqualTo(47);
        limited.writeInbound(from("192.0.2.2", 40000, "other"));
        assertThat(replies(limited)).isEqualTo(1);
        for (int i = 0; i < 50; i++) {
            limited.writeInbound(from("10.1.2.3", 40000, "exempt"));
        }
        assertThat(replies(limited)).isEqualTo(50);
        assertThat(counted.datagramsDropped()).isEqualTo(47);
        assertThat(limited.finish()).isFalse();
    }

    @Test
    void datagramsThatCouldLoopOrAreTooLargeSpendNoTokens() {
        ServerCounters counted = new ServerCounters(new OpenConnections());
        EmbeddedChannel limited = new EmbeddedChannel(new DatagramServiceHandler(Service.ECHO, counted, dev.jecho.ListenerRecorder.NONE, 8,
                new DatagramRateLimiter(10, 1, 100), List.of(), null, null));
        limited.writeInbound(from(7, "x"), from(40000, "too large"));
        assertThat(counted.datagramsTooLarge()).isEqualTo(1);
        limited.writeInbound(from(40000, "fits"));
        assertThat(replies(limited)).isEqualTo(1);
        assertThat(limited.finish()).isFalse();
    }
}
