package dev.jecho.internal.client;

import dev.jecho.ClientConfig;
import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import dev.jecho.testing.Payloads;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JechoClientTest {

    @Test
    void pipelinedMessagesGetTheirOwnRepliesWhateverTheSegmentation() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).start();
             JechoClient client = JechoClient.connect(server.boundEndpoints().get(0))) {
            Random random = new Random(1);
            List<byte[]> sent = new ArrayList<>();
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] m = Payloads.random(random, 1, 40_000);
                sent.add(m);
                replies.add(client.send(m));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertThat(JechoClient.await(replies.get(i))).isEqualTo(Payloads.upper(sent.get(i)));
            }
        }
    }

    @Test
    void udpRetriesUntilAReplyComesAndIgnoresALateReplyToAnEarlierMessage() throws Exception {
        // A server that answers the first datagram only after the client gave up on it.
        try (DatagramSocket slow = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            AtomicInteger seen = new AtomicInteger();
            Thread serverThread = new Thread(() -> {
                try {
                    List<DatagramPacket> held = new ArrayList<>();
                    while (seen.get() < 4) {
                        DatagramPacket p = new DatagramPacket(new byte[1000], 1000);
                        slow.receive(p);
                        int n = seen.incrementAndGet();
                        String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                        if (text.equals("first")) {
                            held.add(p); // never answered in time
                            continue;
                        }
                        for (DatagramPacket late : held) {   // the late reply arrives first
                            slow.send(new DatagramPacket(late.getData(), late.getLength(), late.getSocketAddress()));
                        }
                        held.clear();
                        slow.send(new DatagramPacket(text.toUpperCase().getBytes(StandardCharsets.UTF_8), p.getLength(), p.getSocketAddress()));
                    }
                } catch (Exception ignored) {
                    // socket closed at the end of the test
                }
            });
            serverThread.start();
            ClientConfig config = ClientConfig.builder(Endpoint.udp("127.0.0.1", slow.getLocalPort()))
                    .timeout(Duration.ofMillis(150)).retries(1).build();
            try (JechoClient client = JechoClient.connect(config)) {
                assertThatThrownBy(() -> client.exchange("first".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(ClientException.class)
                        .hasMessageContaining("after 2 attempts")
                        .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.LOST);
                assertThat(new String(client.exchange("second".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                        .isEqualTo("SECOND");
            }
            serverThread.join(2000);
        }
    }

    @Test
    void aMessageTooLargeForADatagramIsRefusedBeforeSending() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             JechoClient client = JechoClient.connect(Endpoint.udp("127.0.0.1", sink.getLocalPort()))) {
            assertThatThrownBy(() -> client.exchange(new byte[65508]))
                    .hasMessageContaining("does not fit in one UDP datagram");
        }
    }

    @Test
    void aClientBoundToALocalAddressSendsFromItOverTcpAndUdp() throws Exception {
        InetAddress source = InetAddress.getByName("127.0.0.42");
        try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CompletableFuture<InetAddress> tcpPeer = CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket s = tcp.accept()) {
                    byte[] b = s.getInputStream().readNBytes(5);
                    s.getOutputStream().write(b);
                    return s.getInetAddress();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CompletableFuture<InetAddress> udpPeer = CompletableFuture.supplyAsync(() -> {
                try {
                    udp.setSoTimeout(10_000);
                    DatagramPacket p = new DatagramPacket(new byte[100], 100);
                    udp.receive(p);
                    udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    return p.getAddress();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (JechoClient c = ClientConfig.builder(Endpoint.tcp("127.0.0.1", tcp.getLocalPort())).localAddress(source).connect()) {
                assertThat(c.exchange("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
            }
            try (JechoClient c = ClientConfig.builder(Endpoint.udp("127.0.0.1", udp.getLocalPort())).localAddress(source).connect()) {
                assertThat(c.exchange("ping".getBytes(StandardCharsets.US_ASCII))).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(tcpPeer.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(source);
            assertThat(udpPeer.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(source);
        }
    }

    @Test
    void anAddressThatIsNotThisMachinesCannotBeBoundAndSaysSoInOneLine() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).start()) {
            InetAddress elsewhere = InetAddress.getByName("192.0.2.1"); // TEST-NET-1: never this machine's
            for (Endpoint endpoint : server.boundEndpoints()) {
                assertThatThrownBy(() -> ClientConfig.builder(endpoint).localAddress(elsewhere).connect().close())
                        .isInstanceOf(ClientException.class)
                        .hasMessageStartingWith("cannot send to " + endpoint + " from 192.0.2.1: ")
                        .hasMessageNotContaining("\n");
            }
        }
    }

    @Test
    void aLocalAddressMakesNoSenseForAUnixSocket() {
        assertThatThrownBy(() -> ClientConfig.builder(Endpoint.unix(java.nio.file.Path.of("/tmp/x.sock")))
                .localAddress(InetAddress.getLoopbackAddress()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not Unix sockets");
    }

    @Test
    void closedCompletesWhenTheServerHangsUp() throws Exception {
        try (java.net.ServerSocket rude = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             JechoClient client = JechoClient.connect(Endpoint.tcp("127.0.0.1", rude.getLocalPort()))) {
            assertThat(client.closed().toCompletableFuture()).isNotDone();
            rude.accept().close();
            client.closed().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
