package dev.jecho;

import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The article's own scenarios, over real loopback sockets, against one server with TCP and UDP. */
class ArticleScenariosTest {

    private JechoServer server;
    private Endpoint tcp;
    private Endpoint udp;

    @BeforeEach
    void start() throws Exception {
        server = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).service(Service.UPPER).start();
        tcp = server.boundEndpoints().get(0);
        udp = server.boundEndpoints().get(1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void oneMessageRoundTrip() throws Exception {
        try (StreamClient client = StreamClient.connect(tcp)) {
            assertThat(client.exchange(utf8("hello world"))).isEqualTo(utf8("HELLO WORLD"));
        }
    }

    @Test
    void manyMessagesOnOneConnection() throws Exception {
        try (StreamClient client = StreamClient.connect(tcp)) {
            for (int i = 0; i < 200; i++) {
                assertThat(client.exchange(utf8("message " + i))).isEqualTo(utf8("MESSAGE " + i));
            }
        }
    }

    @Test
    void secondClientIsServedWhileTheFirstIsStillConnected() throws Exception {
        // The article's server accepts the next client only after the current one leaves.
        try (StreamClient first = StreamClient.connect(tcp); StreamClient second = StreamClient.connect(tcp)) {
            assertThat(first.exchange(utf8("first"))).isEqualTo(utf8("FIRST"));
            assertThat(second.exchange(utf8("second"))).isEqualTo(utf8("SECOND"));
            assertThat(first.exchange(utf8("first again"))).isEqualTo(utf8("FIRST AGAIN"));
        }
    }

    @Test
    void clientKilledMidSessionWithResetLeavesTheOthersWorking() throws Exception {
        try (StreamClient survivor = StreamClient.connect(tcp)) {
            StreamClient victim = StreamClient.connect(tcp);
            assertThat(victim.exchange(utf8("about to vanish"))).isEqualTo(utf8("ABOUT TO VANISH"));
            victim.write(utf8("half a message that is never read"));
            victim.channel().setOption(StandardSocketOptions.SO_LINGER, 0);
            victim.close(); // RST, as when the article's client is killed

            assertThat(survivor.exchange(utf8("still here"))).isEqualTo(utf8("STILL HERE"));
            awaitOpenConnections(1);
            try (StreamClient newcomer = StreamClient.connect(tcp)) {
                assertThat(newcomer.exchange(utf8("new"))).isEqualTo(utf8("NEW"));
            }
            assertThat(survivor.exchange(utf8("and still"))).isEqualTo(utf8("AND STILL"));
        }
    }

    @Test
    void emptyUdpDatagramGetsAnEmptyReply() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(2000);
            InetSocketAddress to = new InetSocketAddress(udp.host(), udp.port());
            socket.send(new DatagramPacket(new byte[0], 0, to));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            socket.receive(reply);
            assertThat(reply.getLength()).isZero();
            assertThat(reply.getPort()).isEqualTo(udp.port());
        }
    }

    @Test
    void udpDatagramGetsItsUpperCaseReply() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(2000);
            byte[] hello = utf8("hello world");
            socket.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(udp.host(), udp.port())));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("HELLO WORLD");
        }
    }

    private void awaitOpenConnections(long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (server.stats().openConnections() != expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertThat(server.stats().openConnections()).isEqualTo(expected);
    }
}
