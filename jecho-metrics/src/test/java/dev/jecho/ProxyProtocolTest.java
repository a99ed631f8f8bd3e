package dev.jecho;

import dev.jecho.testing.Metered;
import dev.jecho.testing.Scrape;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --proxy-protocol} over real loopback sockets. */
class ProxyProtocolTest {

    private static final String V1 = "PROXY TCP4 203.0.113.7 127.0.0.1 40001 8888\r\n";
    /** The test's own sockets stand for a load balancer on this host. */
    private static final List<String> THIS_HOST = List.of("127.0.0.1");

    @Test
    void theRealClientFromTheHeaderIsWhatTheServerSeesAndTheDataAfterItIsServed() throws Exception {
        try (JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).proxyProtocol(true).trustedProxies(THIS_HOST)
                );
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            client.write((V1 + "hello").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(client.read(5), StandardCharsets.US_ASCII)).isEqualTo("HELLO");

            String body = Scrape.get("http://" + Metered.address(server).address() + "/connections").body();
            assertThat(body).contains("\"peer\":\"203.0.113.7:40001\"").contains("\"socket_peer\":\"127.0.0.1:")
                    .contains("\"address\":\"203.0.113.7\"");
        }
    }

    @Test
    void aHeaderOnAListenerWithoutTheFlagIsPlainData() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            byte[] reply = client.exchange(V1.getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo(V1.toUpperCase());
        }
    }

    @Test
    void aConnectionWithoutAValidHeaderIsClosedAndCountedAsRefused() throws Exception {
        try (JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).proxyProtocol(true).trustedProxies(THIS_HOST)
                .logConnections(false))) {
            try (StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
                client.write("hello, no header here\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.readsEndOfStream()).isTrue();
            }
            Scrape s = Scrape.of("http://" + Metered.address(server).address() + "/metrics");
            assertThat(s.count("jecho_connections_refused_total", "reason", "proxy_header_invalid")).isEqualTo(1);
        }
    }

    @Test
    void aHeaderThatNeverCompletesIsClosedAfterTheTimeout() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).proxyProtocol(true).trustedProxies(THIS_HOST)
                .proxyHeaderTimeout(Duration.ofMillis(300)).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            client.write("PROXY TCP4 203.0.1".getBytes(StandardCharsets.US_ASCII));
            client.channel().socket().setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(client.readsEndOfStream()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until closed").isLessThan(9_000);
        }
    }

    @Test
    void headersFromOutsideTheTrustedNetworksAreNotBelieved() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).proxyProtocol(true)
                .trustedProxies(List.of("10.0.0.0/8")).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            assertThat(closedByServer(client, (V1 + "hello").getBytes(StandardCharsets.US_ASCII))).isTrue();
        }
    }

    @Test
    void noProxyIsTrustedUnlessNamed() {
        // any local process could otherwise name any client: get it penalised, or claim an exempt address
        assertThatThrownBy(() -> JechoServer.builder().tcp("127.0.0.1", 0).proxyProtocol(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs trusted proxies");
    }

    @Test
    void unixSocketListenersIgnoreTheFlag() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jecho-proxy");
        Endpoint unix = Endpoint.unix(dir.resolve("s.sock"));
        try (JechoServer server = JechoServer.builder().listen(unix).proxyProtocol(true).start();
             StreamClient client = StreamClient.connect(unix)) {
            assertThat(client.exchange("hi".getBytes(StandardCharsets.US_ASCII))).isEqualTo("HI".getBytes(StandardCharsets.US_ASCII));
        } finally {
            java.nio.file.Files.deleteIfExists(dir.resolve("s.sock"));
            java.nio.file.Files.deleteIfExists(dir);
        }
    }


    /**
     * Writes, then reads: true when the server closed the connection. The server may close before the
     * write lands, and then the kernel answers the write with a reset rather than an end of stream.
     */
    private static boolean closedByServer(StreamClient client, byte[] data) throws java.io.IOException {
        try {
            client.write(data);
            return client.readsEndOfStream();
        } catch (java.net.SocketException e) {
            return String.valueOf(e.getMessage()).contains("reset") || String.valueOf(e.getMessage()).contains("Broken pipe");
        }
    }
}
