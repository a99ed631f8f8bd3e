package dev.jecho;

import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authenticated UDP over real loopback sockets: the client tags and checks transparently. */
class AuthenticatedDatagramTest {

    @Test
    void aClientWithTheKeyGetsItsRepliesAndOneWithoutGetsNone() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).keys(AuthenticatedJsonTest.KEY.toKeyring()).start()) {
            Endpoint udp = server.boundEndpoints().get(0);
            try (JechoClient keyed = ClientConfig.builder(udp).keys(AuthenticatedJsonTest.KEY.toKeyring()).connect()) {
                assertThat(new String(keyed.exchange("hello udp".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                        .isEqualTo("HELLO UDP");
                assertThat(keyed.exchange(new byte[0])).isEmpty();
                byte[] large = new byte[60_000];
                new java.util.Random(5).nextBytes(large);
                assertThat(keyed.exchange(large)).isEqualTo(dev.jecho.testing.Payloads.upper(large));
            }
            try (JechoClient plain = ClientConfig.builder(udp).timeout(Duration.ofMillis(200)).retries(1).connect();
                 JechoClient wrongKey = ClientConfig.builder(udp).keys(AuthenticatedJsonTest.WRONG.toKeyring())
                         .timeout(Duration.ofMillis(200)).retries(1).connect()) {
                assertThatThrownBy(() -> plain.exchange("hello".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(ClientException.class)
                        .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.LOST);
                assertThatThrownBy(() -> wrongKey.exchange("hello".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(ClientException.class)
                        .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.LOST);
            }
            assertThat(server.stats().datagramsDropped()).isEqualTo(4);
        }
    }

    @Test
    void aDatagramReplayedToAnotherListenerWithTheSameKeyIsAnsweredOnce() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).udp("127.0.0.1", 0)
                .keys(AuthenticatedJsonTest.KEY.toKeyring()).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5_000);
            InetSocketAddress first = inet(server.boundEndpoints().get(0));
            InetSocketAddress second = inet(server.boundEndpoints().get(1));
            byte[] captured = sealed("captured", 1);
            socket.send(new DatagramPacket(captured, captured.length, first));
            assertThat(replyNonce(socket)).as("the original is answered").isEqualTo(nonce(1));

            // The replay to the other listener, then a fresh datagram: on loopback the first reply to come back
            // from there would be the replay's, if it got one.
            byte[] fresh = sealed("fresh", 2);
            socket.send(new DatagramPacket(captured, captured.length, second));
            socket.send(new DatagramPacket(fresh, fresh.length, second));
            assertThat(replyNonce(socket)).as("the next reply answers the fresh datagram, not the replay").isEqualTo(nonce(2));
            assertThat(server.stats().datagramsDropped()).isEqualTo(1);
        }
    }

    private static InetSocketAddress inet(Endpoint udp) {
        return new InetSocketAddress(udp.host(), udp.port());
    }

    private static byte[] nonce(int n) {
        byte[] nonce = new byte[TaggedDatagram.NONCE_LENGTH];
        java.util.Arrays.fill(nonce, (byte) n);
        return nonce;
    }

    private static byte[] sealed(String text, int n) {
        ByteBuf sealed = TaggedDatagram.seal(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, AuthenticatedJsonTest.KEY, System.currentTimeMillis(), nonce(n),
                text.getBytes(StandardCharsets.UTF_8));
        try {
            return ByteBufUtil.getBytes(sealed);
        } finally {
            sealed.release();
        }
    }

    private static byte[] replyNonce(DatagramSocket socket) throws java.io.IOException {
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        socket.receive(reply);
        ByteBuf content = Unpooled.wrappedBuffer(reply.getData(), 0, reply.getLength());
        return TaggedDatagram.replyNonce(content);
    }

    @Test
    void aMessageTooLargeForAnAuthenticatedDatagramIsRefusedBeforeSending() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).keys(AuthenticatedJsonTest.KEY.toKeyring()).start();
             JechoClient keyed = ClientConfig.builder(server.boundEndpoints().get(0)).keys(AuthenticatedJsonTest.KEY.toKeyring()).connect()) {
            assertThatThrownBy(() -> keyed.exchange(new byte[65_507 - 60]))
                    .isInstanceOf(ClientException.class)
                    .hasMessageContaining("authenticated UDP datagram");
        }
    }
}
